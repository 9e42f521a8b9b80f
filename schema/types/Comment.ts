import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true })
export class Comment {
  @Field(() => ID) id!: number;
  @Field(() => String) content!: string;
  @Field(() => Date) createdAt!: Date;
}
