import { sql } from 'kysely';
import type { Db } from '../src/db/database';
import type { InvitationRow, InvitationStatus, TeamRole } from '../src/db/schema';

/** `SELECT * FROM invitations WHERE token = ?` (uq_invitations_token) */
export async function invitationByToken(db: Db, token: string): Promise<InvitationRow | null> {
  return (await db.selectFrom('invitations').selectAll().where('token', '=', token).executeTakeFirst()) ?? null;
}

/** What inviting `email` into a team would meet. */
export interface InviteeStanding {
  /** The existing account with that email, to notify; null when there is none yet. */
  userId: number | null;
  isActiveMember: boolean;
  /** A PENDING invitation of that email to that team which has not expired yet. */
  hasPendingInvitation: boolean;
}

/**
 * Everything inviteMember checks about an email, in ONE statement:
 * ```sql
 * SELECT
 *   (SELECT u.id FROM users u WHERE u.email = ?) AS invitee_id,
 *   EXISTS (SELECT 1 FROM team_members tm JOIN users u ON u.id = tm.user_id
 *           WHERE tm.team_id = ? AND u.email = ? AND tm.is_active = 1) AS is_active_member,
 *   EXISTS (SELECT 1 FROM invitations i WHERE i.team_id = ? AND i.email = ?
 *           AND i.status = 'PENDING' AND i.expires_at > UTC_TIMESTAMP(3)) AS has_pending_invitation
 * ```
 */
export async function inviteeStanding(db: Db, teamId: number, email: string): Promise<InviteeStanding> {
  const result = await sql<{ inviteeId: number | null; isActiveMember: number; hasPendingInvitation: number }>`SELECT
      (SELECT u.id FROM users u WHERE u.email = ${email}) AS invitee_id,
      EXISTS (SELECT 1 FROM team_members tm JOIN users u ON u.id = tm.user_id
              WHERE tm.team_id = ${teamId} AND u.email = ${email} AND tm.is_active = 1) AS is_active_member,
      EXISTS (SELECT 1 FROM invitations i WHERE i.team_id = ${teamId} AND i.email = ${email}
              AND i.status = 'PENDING' AND i.expires_at > UTC_TIMESTAMP(3)) AS has_pending_invitation`.execute(db);
  const [row] = result.rows;
  return {
    userId: row.inviteeId === null ? null : Number(row.inviteeId),
    isActiveMember: Number(row.isActiveMember) === 1,
    hasPendingInvitation: Number(row.hasPendingInvitation) === 1,
  };
}

/**
 * Inserts a PENDING invitation and returns its row, built from the values written:
 * ```sql
 * INSERT INTO invitations (team_id, email, role, token, status, invited_by_user_id, created_at, expires_at)
 * VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?)
 * ```
 */
export async function insertInvitation(
  db: Db,
  values: { teamId: number; email: string; role: TeamRole; token: string; invitedByUserId: number; createdAt: Date; expiresAt: Date },
): Promise<InvitationRow> {
  const row = { ...values, status: 'PENDING' as const };
  const result = await db.insertInto('invitations').values(row).executeTakeFirstOrThrow();
  return { id: Number(result.insertId), ...row };
}

/**
 * Answers a PENDING, unexpired invitation, atomically: of many concurrent answers exactly one
 * matches. Returns false when it was answered or expired in the meantime.
 * ```sql
 * UPDATE invitations SET status = ?
 * WHERE id = ? AND status = 'PENDING' AND expires_at > UTC_TIMESTAMP(3)
 * ```
 */
export async function answerInvitation(db: Db, id: number, status: Extract<InvitationStatus, 'ACCEPTED' | 'DECLINED'>): Promise<boolean> {
  const result = await sql`UPDATE invitations SET status = ${status}
    WHERE id = ${id} AND status = 'PENDING' AND expires_at > UTC_TIMESTAMP(3)`.execute(db);
  return result.numAffectedRows === 1n;
}

/**
 * Records that a PENDING invitation ran out (readers already treat it as EXPIRED):
 * ```sql
 * UPDATE invitations SET status = 'EXPIRED' WHERE id = ? AND status = 'PENDING' AND expires_at <= UTC_TIMESTAMP(3)
 * ```
 */
export async function expireInvitation(db: Db, id: number): Promise<void> {
  await sql`UPDATE invitations SET status = 'EXPIRED'
    WHERE id = ${id} AND status = 'PENDING' AND expires_at <= UTC_TIMESTAMP(3)`.execute(db);
}
