import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CrsStatus } from './enums';

@ObjectType({ simpleResolvers: true })
export class CrsDocument {
  @Field(() => ID) id!: number;
  @Field(() => String) title!: string;
  @Field(() => String) content!: string;
  @Field(() => CrsStatus) status!: string;
  @Field(() => Int, { description: 'Starts at 1; every content update adds 1 (optimistic concurrency).' }) version!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}
