import { Field, ID, ObjectType } from 'type-graphql';
import { ProjectStatus } from './enums';

@ObjectType({ simpleResolvers: true })
export class Project {
  @Field(() => ID) id!: number;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => ProjectStatus) status!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}
