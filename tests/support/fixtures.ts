import bcrypt from 'bcryptjs';
import type { Db } from '../../src/db/database';
import type {
  CrsStatus,
  InvitationStatus,
  NotificationType,
  ProjectStatus,
  SenderType,
  TeamRole,
} from '../../src/db/schema';

/** Every fixture user's password. */
export const FIXTURE_PASSWORD = 'password123';
// Cost 4 keeps fixtures fast; bcrypt.compare accepts any cost.
const FIXTURE_HASH = bcrypt.hashSync(FIXTURE_PASSWORD, 4);

/**
 * Small builders that insert exactly the rows a test describes, with increasing timestamps so
 * orderings are predictable. Each returns the new row's id.
 */
export class Fixtures {
  readonly #db: Db;
  #clock = Date.UTC(2026, 0, 1);

  constructor(db: Db) {
    this.#db = db;
  }

  /** A strictly increasing timestamp (one second apart). */
  tick(): Date {
    this.#clock += 1000;
    return new Date(this.#clock);
  }

  async user(email: string, fullName = email.split('@')[0]): Promise<number> {
    return this.#insert(
      this.#db.insertInto('users').values({ email, fullName, passwordHash: FIXTURE_HASH, createdAt: this.tick() }),
    );
  }

  /** A team with `ownerId` as its active OWNER. */
  async team(ownerId: number, name = 'Team'): Promise<number> {
    const id = await this.#insert(
      this.#db.insertInto('teams').values({ name, description: `${name} description`, createdBy: ownerId, createdAt: this.tick() }),
    );
    await this.member(id, ownerId, 'OWNER');
    return id;
  }

  async member(teamId: number, userId: number, role: TeamRole = 'MEMBER', isActive = true): Promise<void> {
    await this.#db
      .insertInto('teamMembers')
      .values({ teamId, userId, role, isActive: isActive ? 1 : 0, joinedAt: this.tick() })
      .execute();
  }

  async project(teamId: number, createdBy: number, name = 'Project', status: ProjectStatus = 'PENDING'): Promise<number> {
    const at = this.tick();
    return this.#insert(
      this.#db.insertInto('projects').values({ teamId, createdBy, name, description: null, status, createdAt: at, updatedAt: at }),
    );
  }

  async crs(projectId: number, createdBy: number, title = 'CRS', status: CrsStatus = 'DRAFT', content = 'Requirement text.'): Promise<number> {
    const at = this.tick();
    return this.#insert(
      this.#db
        .insertInto('crsDocuments')
        .values({ projectId, createdBy, title, content, status, version: 1, createdAt: at, updatedAt: at }),
    );
  }

  async comment(crsId: number, authorId: number, content = 'A comment.'): Promise<number> {
    return this.#insert(this.#db.insertInto('comments').values({ crsId, authorId, content, createdAt: this.tick() }));
  }

  async chatSession(projectId: number, userId: number, name = 'Session'): Promise<number> {
    return this.#insert(this.#db.insertInto('chatSessions').values({ projectId, userId, name, startedAt: this.tick() }));
  }

  async message(sessionId: number, senderType: SenderType, senderId: number | null, content = 'Hello', timestamp = this.tick()): Promise<number> {
    return this.#insert(this.#db.insertInto('messages').values({ sessionId, senderType, senderId, content, timestamp }));
  }

  async invitation(
    teamId: number,
    email: string,
    invitedBy: number,
    options: { status?: InvitationStatus; role?: TeamRole; expiresAt?: Date; token?: string } = {},
  ): Promise<number> {
    return this.#insert(
      this.#db.insertInto('invitations').values({
        teamId,
        email,
        role: options.role ?? 'MEMBER',
        token: options.token ?? `tok${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`.padEnd(43, 'x').slice(0, 43),
        status: options.status ?? 'PENDING',
        invitedByUserId: invitedBy,
        createdAt: this.tick(),
        expiresAt: options.expiresAt ?? new Date(Date.now() + 7 * 24 * 3600 * 1000),
      }),
    );
  }

  async notification(userId: number, type: NotificationType, referenceId: number | null, isRead = false): Promise<number> {
    return this.#insert(
      this.#db
        .insertInto('notifications')
        .values({ userId, type, referenceId, title: `${type} title`, message: `${type} message`, isRead: isRead ? 1 : 0, createdAt: this.tick() }),
    );
  }

  async #insert(query: { executeTakeFirstOrThrow(): Promise<{ insertId?: bigint }> }): Promise<number> {
    const result = await query.executeTakeFirstOrThrow();
    return Number(result.insertId);
  }
}
