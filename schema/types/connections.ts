import { Field, ObjectType } from 'type-graphql';
import { Message } from './Message';
import { Notification } from './Notification';
import { Project } from './Project';

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class ProjectEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Project) node!: Project;
}

@ObjectType({ simpleResolvers: true })
export class ProjectConnection {
  @Field(() => [ProjectEdge]) edges!: ProjectEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ simpleResolvers: true })
export class NotificationEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Notification) node!: Notification;
}

@ObjectType({ simpleResolvers: true })
export class NotificationConnection {
  @Field(() => [NotificationEdge]) edges!: NotificationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  /** Resolved by NotificationConnectionResolver, only when asked for; set when read with the first page. */
  unreadCount?: number;
  /** Whose notifications these are (for unreadCount). */
  userId!: number;
}

@ObjectType({ simpleResolvers: true })
export class MessageEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Message) node!: Message;
}

@ObjectType({ simpleResolvers: true })
export class MessageConnection {
  @Field(() => [MessageEdge]) edges!: MessageEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

