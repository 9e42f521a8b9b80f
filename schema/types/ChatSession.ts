import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true })
export class ChatSession {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => Date) startedAt!: Date;
}
