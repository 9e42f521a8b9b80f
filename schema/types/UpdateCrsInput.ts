import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class UpdateCrsInput {
  @Field(() => ID) id!: string;
  @Field(() => String) content!: string;
  /** The version the client's edit is based on; the update is refused when it is no longer current. */
  @Field(() => Int) expectedVersion!: number;
}
