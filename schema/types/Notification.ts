import { Field, ID, ObjectType } from 'type-graphql';
import { NotificationType } from './enums';

@ObjectType({ simpleResolvers: true })
export class Notification {
  @Field(() => ID) id!: number;
  @Field(() => NotificationType) type!: string;
  @Field(() => String) title!: string;
  @Field(() => String) message!: string;
  /** Stored as TINYINT; graphql-js serialises 0/1 as false/true. */
  @Field(() => Boolean) isRead!: boolean;
  @Field(() => Date) createdAt!: Date;
}
