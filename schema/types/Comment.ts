import { Field, ID, ObjectType } from 'type-graphql';
import type { UserSummary } from '../../loaders/rows';
import { User } from './User';

@ObjectType({ simpleResolvers: true })
export class Comment {
  @Field(() => ID) id!: number;
  @Field(() => String) content!: string;
  @Field(() => Date) createdAt!: Date;
  /** Read off the row: every comment handed out carries its author (loaders/rows.ts CommentWithAuthor). */
  @Field(() => User) author!: UserSummary;
}
