import { Field, ObjectType } from 'type-graphql';
import { User } from './User';

@ObjectType({ simpleResolvers: true })
export class AuthPayload {
  @Field(() => String) token!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => User) user!: User;
}
