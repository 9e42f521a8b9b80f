import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateCrsInput {
  @Field(() => ID) projectId!: string;
  @Field(() => String) title!: string;
  @Field(() => String) content!: string;
}
