import type { Transaction } from 'kysely';
import type { LiveEvent } from '../src/events/liveEvents';
import type { Database, NotificationRow } from '../src/db/schema';
import type { MessageWithTeam } from '../loaders/rows';
import type { GraphQLContext } from './context';

/** What a transaction collects for the subscriptions; nothing of it is sent unless the transaction commits. */
export class PendingEvents {
  readonly events: LiveEvent[] = [];

  notifications(rows: readonly NotificationRow[]): void {
    for (const row of rows) this.events.push({ kind: 'notification', row });
  }

  message(row: MessageWithTeam): void {
    this.events.push({ kind: 'message', row });
  }
}

/**
 * Runs `work` in one transaction and, once it has committed, publishes the events it collected
 * to every instance's subscriptions. A rolled-back transaction publishes nothing.
 */
export async function transactionWithEvents<T>(
  ctx: GraphQLContext,
  work: (trx: Transaction<Database>, pending: PendingEvents) => Promise<T>,
): Promise<T> {
  const pending = new PendingEvents();
  const result = await ctx.db.transaction().execute((trx) => work(trx, pending));
  ctx.liveEvents.publish(pending.events);
  return result;
}
