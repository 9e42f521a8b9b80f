import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateProjectInput {
  @Field(() => ID) teamId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
}
