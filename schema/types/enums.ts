import { registerEnumType } from 'type-graphql';

/** The contract's enums; values are stored in MySQL exactly as spelled here. */
export const TeamRole = { OWNER: 'OWNER', ADMIN: 'ADMIN', MEMBER: 'MEMBER', VIEWER: 'VIEWER' } as const;
export const ProjectStatus = { PENDING: 'PENDING', APPROVED: 'APPROVED', REJECTED: 'REJECTED', ARCHIVED: 'ARCHIVED' } as const;
export const CrsStatus = { DRAFT: 'DRAFT', UNDER_REVIEW: 'UNDER_REVIEW', APPROVED: 'APPROVED', REJECTED: 'REJECTED' } as const;
export const InvitationStatus = { PENDING: 'PENDING', ACCEPTED: 'ACCEPTED', DECLINED: 'DECLINED', EXPIRED: 'EXPIRED' } as const;
export const NotificationType = {
  PROJECT_APPROVED: 'PROJECT_APPROVED',
  PROJECT_REJECTED: 'PROJECT_REJECTED',
  TEAM_INVITATION: 'TEAM_INVITATION',
  CRS_CREATED: 'CRS_CREATED',
  CRS_STATUS_CHANGED: 'CRS_STATUS_CHANGED',
  CRS_COMMENTED: 'CRS_COMMENTED',
  MENTION: 'MENTION',
  SYSTEM: 'SYSTEM',
} as const;
export const SenderType = { USER: 'USER', AI: 'AI' } as const;
export const MemorySourceType = { CRS: 'CRS', COMMENT: 'COMMENT', MESSAGE: 'MESSAGE' } as const;

registerEnumType(TeamRole, { name: 'TeamRole' });
registerEnumType(ProjectStatus, { name: 'ProjectStatus' });
registerEnumType(CrsStatus, { name: 'CrsStatus' });
registerEnumType(InvitationStatus, { name: 'InvitationStatus' });
registerEnumType(NotificationType, { name: 'NotificationType' });
registerEnumType(SenderType, { name: 'SenderType' });
registerEnumType(MemorySourceType, { name: 'MemorySourceType' });
