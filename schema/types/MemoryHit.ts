import { Field, Float, ID, ObjectType } from 'type-graphql';
import { MemorySourceType } from './enums';

/** A memory found by searchMemory; `source` is resolved by MemoryResolver. */
@ObjectType({ simpleResolvers: true })
export class MemoryHit {
  @Field(() => ID, { description: 'The Chroma embedding id (ai_memory_index.embedding_id).' }) id!: string;
  @Field(() => MemorySourceType) sourceType!: string;
  @Field(() => String) text!: string;
  @Field(() => Float, { description: 'Cosine distance, 0 = identical direction.' }) distance!: number;
}
