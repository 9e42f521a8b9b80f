import type {
  ChatSessionRow,
  CommentRow,
  CrsRow,
  CrsStatus,
  InvitationStatus,
  MessageRow,
  ProjectStatus,
  TeamRole,
  TeamRow,
  UserRow,
} from '../src/db/schema';

/** A CRS document with the team that owns it, so visibility needs no further query. */
export type CrsWithTeam = CrsRow & { teamId: number };

/** The user fields the API shows (User: id, email, fullName). */
export type UserSummary = Pick<UserRow, 'id' | 'email' | 'fullName'>;
/**
 * A comment with its author, joined in the same statement: `Comment.author` is a plain field read,
 * not a resolver call and a DataLoader promise per comment (15,000 of them in a nested query).
 * Every comment handed to GraphQL is one of these.
 */
export type CommentWithAuthor = CommentRow & { author: UserSummary };
/** A comment with its project and team, so visibility needs no further query. */
export type CommentWithTeam = CommentWithAuthor & { projectId: number; teamId: number };
export type ChatSessionWithTeam = ChatSessionRow & { teamId: number };
export type MessageWithTeam = MessageRow & { projectId: number; teamId: number };
/** One of the viewer's active memberships, with the team's row. */
export type Membership = TeamRow & { role: TeamRole };
/** A member row joined to nothing: the member's user is loaded through userById. */
export interface TeamMemberEntry {
  teamId: number;
  userId: number;
  role: TeamRole;
  joinedAt: Date;
}

/** Position in a newest-first list: rows strictly older than (time, id) come next. */
export interface KeysetPosition {
  time: Date;
  id: number;
}

export interface ProjectsByTeamKey {
  teamId: number;
  status: ProjectStatus | null;
  first: number;
}
export interface CrsByProjectKey {
  projectId: number;
  statuses: readonly CrsStatus[] | null;
  first: number;
}
export interface ByParentKey {
  parentId: number;
  first: number;
}
export interface InvitationsByTeamKey {
  teamId: number;
  status: InvitationStatus | null;
  first: number;
}
export interface MessagesBySessionKey {
  sessionId: number;
  /** Rows to fetch: the page size plus one, to know whether a next page exists. */
  first: number;
  before: KeysetPosition | null;
}
