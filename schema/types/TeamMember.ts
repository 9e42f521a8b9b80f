import { Field, ObjectType } from 'type-graphql';
import { TeamRole } from './enums';

@ObjectType({ simpleResolvers: true })
export class TeamMember {
  @Field(() => TeamRole) role!: string;
  @Field(() => Date) joinedAt!: Date;
}
