import type { NotificationRow } from '../db/schema';
import type { MessageWithTeam } from '../../loaders/rows';

/** A committed row that subscriptions push to clients (schema/subscriptions/). */
export type LiveEvent =
  | { readonly kind: 'notification'; readonly row: NotificationRow }
  | { readonly kind: 'message'; readonly row: MessageWithTeam };

/** Who listens for an event: the recipient of a notification, the chat session of a message. */
export type LiveTopic = `user:${number}` | `session:${number}`;

export function topicOf(event: LiveEvent): LiveTopic {
  return event.kind === 'notification' ? `user:${event.row.userId}` : `session:${event.row.sessionId}`;
}

/**
 * How committed rows reach the subscriptions of every instance: within the process, and with
 * REDIS_URL through Redis to the others (redisLiveEvents.ts).
 */
export interface LiveEvents {
  /** Sends events to every listener of their topics; called only after their transaction committed. */
  publish(events: readonly LiveEvent[]): void;
  /** Calls `listener` with each event of `topic` from now on; returns what stops it. */
  listen(topic: LiveTopic, listener: (event: LiveEvent) => void): () => void;
  /**
   * Calls `listener` each time events may have passed unheard (the connection to Redis came back
   * after a loss), so that a subscription reads what it missed from MySQL; returns what stops it.
   */
  onMissedEvents(listener: () => void): () => void;
  close(): Promise<void>;
}

/** The listeners of this process, by topic. */
export class LocalLiveEvents implements LiveEvents {
  readonly #listeners = new Map<LiveTopic, Set<(event: LiveEvent) => void>>();
  readonly #missedListeners = new Set<() => void>();

  publish(events: readonly LiveEvent[]): void {
    for (const event of events) {
      const listeners = this.#listeners.get(topicOf(event));
      if (listeners) for (const listener of listeners) listener(event);
    }
  }

  listen(topic: LiveTopic, listener: (event: LiveEvent) => void): () => void {
    let listeners = this.#listeners.get(topic);
    if (!listeners) this.#listeners.set(topic, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(topic);
    };
  }

  onMissedEvents(listener: () => void): () => void {
    this.#missedListeners.add(listener);
    return () => this.#missedListeners.delete(listener);
  }

  /** Tells every subscription to read what it may have missed. */
  missedEvents(): void {
    for (const listener of this.#missedListeners) listener();
  }

  async close(): Promise<void> {}
}
