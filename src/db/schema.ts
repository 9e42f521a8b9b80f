import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The database's tables as Kysely sees them. Column names are camelCase here and snake_case
 * in MySQL; the CamelCasePlugin in `createDatabase` maps between them.
 */
export interface Database {
  users: UsersTable;
  teams: TeamsTable;
  teamMembers: TeamMembersTable;
  projects: ProjectsTable;
  crsDocuments: CrsDocumentsTable;
  comments: CommentsTable;
  invitations: InvitationsTable;
  notifications: NotificationsTable;
  chatSessions: ChatSessionsTable;
  messages: MessagesTable;
  aiMemoryIndex: AiMemoryIndexTable;
}

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | undefined, Date>;

export type TeamRole = 'OWNER' | 'ADMIN' | 'MEMBER' | 'VIEWER';
export type ProjectStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'ARCHIVED';
export type CrsStatus = 'DRAFT' | 'UNDER_REVIEW' | 'APPROVED' | 'REJECTED';
export type InvitationStatus = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED';
export type NotificationType =
  | 'PROJECT_APPROVED'
  | 'PROJECT_REJECTED'
  | 'TEAM_INVITATION'
  | 'CRS_CREATED'
  | 'CRS_STATUS_CHANGED'
  | 'CRS_COMMENTED'
  | 'MENTION'
  | 'SYSTEM';
export type SenderType = 'USER' | 'AI';
export type MemorySourceType = 'CRS' | 'COMMENT' | 'MESSAGE';
export type MemoryStatus = 'pending' | 'indexed' | 'failed';
/** Who queued a memory outbox entry: a mutation's write (`live`, indexed first) or bulk work (`backlog`). */
export type MemoryLane = 'live' | 'backlog';

export interface UsersTable {
  id: Generated<number>;
  email: string;
  fullName: string;
  passwordHash: string;
  createdAt: CreatedAt;
}

export interface TeamsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  createdBy: number;
  createdAt: CreatedAt;
}

export interface TeamMembersTable {
  id: Generated<number>;
  teamId: number;
  userId: number;
  role: TeamRole;
  isActive: ColumnType<number, number | undefined, number>;
  joinedAt: CreatedAt;
}

export interface ProjectsTable {
  id: Generated<number>;
  teamId: number;
  createdBy: number;
  name: string;
  description: string | null;
  status: ColumnType<ProjectStatus, ProjectStatus | undefined, ProjectStatus>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface CrsDocumentsTable {
  id: Generated<number>;
  projectId: number;
  createdBy: number;
  title: string;
  content: string;
  status: ColumnType<CrsStatus, CrsStatus | undefined, CrsStatus>;
  version: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface CommentsTable {
  id: Generated<number>;
  crsId: number;
  authorId: number;
  content: string;
  createdAt: CreatedAt;
}

export interface InvitationsTable {
  id: Generated<number>;
  teamId: number;
  email: string;
  role: TeamRole;
  token: string;
  status: ColumnType<InvitationStatus, InvitationStatus | undefined, InvitationStatus>;
  invitedByUserId: number;
  createdAt: CreatedAt;
  expiresAt: Date;
}

export interface NotificationsTable {
  id: Generated<number>;
  userId: number;
  type: NotificationType;
  referenceId: number | null;
  title: string;
  message: string;
  isRead: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
}

export interface ChatSessionsTable {
  id: Generated<number>;
  projectId: number;
  userId: number;
  name: string;
  startedAt: CreatedAt;
}

export interface MessagesTable {
  id: Generated<number>;
  sessionId: number;
  senderType: SenderType;
  senderId: number | null;
  content: string;
  timestamp: CreatedAt;
}

export interface AiMemoryIndexTable {
  id: Generated<number>;
  projectId: number;
  sourceType: MemorySourceType;
  sourceId: number;
  embeddingId: string;
  contentHash: string;
  status: ColumnType<MemoryStatus, MemoryStatus | undefined, MemoryStatus>;
  lane: ColumnType<MemoryLane, MemoryLane | undefined, MemoryLane>;
  attempts: ColumnType<number, number | undefined, number>;
  lastError: string | null;
  updatedAt: UpdatedAt;
}

export type UserRow = Selectable<UsersTable>;
export type TeamRow = Selectable<TeamsTable>;
export type TeamMemberRow = Selectable<TeamMembersTable>;
export type ProjectRow = Selectable<ProjectsTable>;
export type CrsRow = Selectable<CrsDocumentsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
export type ChatSessionRow = Selectable<ChatSessionsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type MemoryIndexRow = Selectable<AiMemoryIndexTable>;
export type NewNotification = Insertable<NotificationsTable>;
