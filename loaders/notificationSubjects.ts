import type { NotificationType } from '../src/db/schema';

/** The kinds of row a notification can be about. */
export type NotificationSubjectKind = 'project' | 'team' | 'crs' | 'comment' | 'invitation';

/** Which row a notification's reference_id points at, by notification type. */
export const SUBJECT_KIND_BY_NOTIFICATION_TYPE: Readonly<Record<NotificationType, NotificationSubjectKind>> = {
  PROJECT_APPROVED: 'project',
  PROJECT_REJECTED: 'project',
  TEAM_INVITATION: 'invitation',
  CRS_CREATED: 'crs',
  CRS_STATUS_CHANGED: 'crs',
  CRS_COMMENTED: 'comment',
  MENTION: 'comment',
  SYSTEM: 'team',
};

/** The notification types whose reference_id points at a row of `kind`. */
export function notificationTypesAbout(kind: NotificationSubjectKind): NotificationType[] {
  return (Object.keys(SUBJECT_KIND_BY_NOTIFICATION_TYPE) as NotificationType[]).filter(
    (type) => SUBJECT_KIND_BY_NOTIFICATION_TYPE[type] === kind,
  );
}
