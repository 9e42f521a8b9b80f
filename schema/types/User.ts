import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true })
export class User {
  @Field(() => ID) id!: number;
  @Field(() => String) email!: string;
  @Field(() => String) fullName!: string;
}
