import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { NotificationRow, NotificationType } from '../../src/db/schema';
import { SUBJECT_KIND_BY_NOTIFICATION_TYPE, type NotificationSubjectKind } from '../../loaders/notificationSubjects';
import { unreadNotificationCount } from '../../loaders/notificationsPage';
import type { GraphQLContext } from '../context';
import { NotificationConnection } from '../types/connections';
import { Notification } from '../types/Notification';
import { NotificationSubject } from '../types/unions';
import { visibleComment, visibleCrs, visibleInvitation, visibleProject, visibleTeam } from '../visibility';

type SubjectTypeName = 'Project' | 'Team' | 'CrsDocument' | 'Comment' | 'Invitation';

/** The GraphQL type of each kind of notification subject. */
const SUBJECT_TYPE_NAME: Record<NotificationSubjectKind, SubjectTypeName> = {
  project: 'Project',
  team: 'Team',
  crs: 'CrsDocument',
  comment: 'Comment',
  invitation: 'Invitation',
};

const loadVisibleSubject = {
  Project: visibleProject,
  Team: visibleTeam,
  CrsDocument: visibleCrs,
  Comment: visibleComment,
  Invitation: visibleInvitation,
} as const;

@Resolver(() => Notification)
export class NotificationResolver {
  /**
   * Resolved through each type's by-id loader, so a page of notifications costs one query per
   * subject type, whatever its length; Query.notifications primes those loaders with the page's
   * subjects, read in the page's own statement, so it usually costs none.
   */
  @FieldResolver(() => NotificationSubject, {
    nullable: true,
    description: 'What the notification is about; null when it was deleted or is no longer visible.',
  })
  async subject(@Root() notification: NotificationRow, @Ctx() ctx: GraphQLContext) {
    if (notification.referenceId === null) return null;
    const typeName = SUBJECT_TYPE_NAME[SUBJECT_KIND_BY_NOTIFICATION_TYPE[notification.type]];
    const row = await loadVisibleSubject[typeName](ctx, notification.referenceId);
    return row && { ...row, __typename: typeName };
  }
}

@Resolver(() => NotificationConnection)
export class NotificationConnectionResolver {
  @FieldResolver(() => Int)
  unreadCount(@Root() connection: NotificationConnection, @Ctx() ctx: GraphQLContext): Promise<number> {
    // Set when the page was read together with the count (Query.notifications).
    return connection.unreadCount !== undefined ? Promise.resolve(connection.unreadCount) : unreadNotificationCount(ctx.db, connection.userId);
  }
}
