import { Field, ID, ObjectType } from 'type-graphql';
import { TeamRole } from './enums';

@ObjectType({ simpleResolvers: true })
export class Invitation {
  @Field(() => ID) id!: number;
  @Field(() => String) email!: string;
  @Field(() => TeamRole) role!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) expiresAt!: Date;
}
