import type { NotificationType } from '../../src/db/schema';
import { Random } from '../../src/seed/prng';
import { assistantMessage, userMessage } from '../../src/seed/text/conversation';
import { reviewComment } from '../../src/seed/text/requirements';
import { notificationTypes } from '../../src/seed/generators/notifications';

/** The tables the insert-cost scenario writes, with their columns in VALUES order. */
export const insertTables = {
  comments: ['crs_id', 'author_id', 'content', 'created_at'],
  notifications: ['user_id', 'type', 'reference_id', 'title', 'message', 'is_read', 'created_at'],
  messages: ['session_id', 'sender_type', 'sender_id', 'content', 'timestamp'],
} as const;
export type InsertTable = keyof typeof insertTables;
export type Row = (string | number | Date | null)[];

/** Highest parent ids of the scratch database, so every generated foreign key exists. */
export interface Parents {
  readonly users: number;
  readonly crsDocuments: number;
  readonly chatSessions: number;
}

/**
 * `count` rows of `table` that look like the seed's (same text generators, random parents),
 * deterministic for a given `label`, so both schemas get exactly the same rows.
 */
export function generateRows(table: InsertTable, count: number, parents: Parents, label: string): Row[] {
  const random = Random.forLabel(`insert-cost:${table}:${label}`);
  const time = (i: number) => new Date(Date.UTC(2025, 5, 1) + i * 1_000);
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    if (table === 'comments') {
      rows.push([random.between(1, parents.crsDocuments), random.between(1, parents.users), reviewComment(random, undefined), time(i)]);
    } else if (table === 'notifications') {
      const type: NotificationType = random.pick(notificationTypes);
      rows.push([
        random.between(1, parents.users),
        type,
        random.between(1, 1_000),
        `${type.replace(/_/g, ' ').toLowerCase()}: ${reviewComment(random, undefined).slice(0, 60)}`,
        reviewComment(random, undefined),
        random.chance(0.5) ? 1 : 0,
        time(i),
      ]);
    } else {
      const fromUser = random.chance(0.5);
      rows.push([
        random.between(1, parents.chatSessions),
        fromUser ? 'USER' : 'AI',
        fromUser ? random.between(1, parents.users) : null,
        fromUser ? userMessage(random, 'checkout', false) : assistantMessage(random, 'checkout'),
        time(i),
      ]);
    }
  }
  return rows;
}
