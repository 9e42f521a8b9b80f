import type { Db } from '../src/db/database';
import type { ChatSessionRow, MessageRow } from '../src/db/schema';

/**
 * Inserts a chat session and returns its row, built from the values written:
 * ```sql
 * INSERT INTO chat_sessions (project_id, user_id, name, started_at) VALUES (?, ?, ?, ?)
 * ```
 */
export async function insertChatSession(
  db: Db,
  values: { projectId: number; userId: number; name: string; at: Date },
): Promise<ChatSessionRow> {
  const { at, ...columns } = values;
  const row = { ...columns, startedAt: at };
  const result = await db.insertInto('chatSessions').values(row).executeTakeFirstOrThrow();
  return { id: Number(result.insertId), ...row };
}

/**
 * Inserts a user's message and returns its row, built from the values written. Messages of
 * one millisecond are told apart by id, which is how the read path orders them too.
 * ```sql
 * INSERT INTO messages (session_id, sender_type, sender_id, content, timestamp) VALUES (?, 'USER', ?, ?, ?)
 * ```
 */
export async function insertUserMessage(
  db: Db,
  values: { sessionId: number; senderId: number; content: string; at: Date },
): Promise<MessageRow> {
  const { at, ...columns } = values;
  const row = { ...columns, senderType: 'USER' as const, timestamp: at };
  const result = await db.insertInto('messages').values(row).executeTakeFirstOrThrow();
  return { id: Number(result.insertId), ...row };
}
