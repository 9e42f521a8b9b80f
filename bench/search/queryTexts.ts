import type { Db } from '../../src/db/database';
import { Random } from '../../src/seed/prng';

/**
 * `count` different search questions, the same on every run: the distinct questions users asked
 * in chat, then distinct review comments, shuffled so that short and long ones mix. Every
 * measured request gets a text of its own, so that no request is answered from an embedding
 * computed for an earlier one.
 */
export async function queryTexts(db: Db, count: number): Promise<string[]> {
  const questions = await db.selectFrom('messages').select('content').distinct().where('senderType', '=', 'USER').orderBy('content').execute();
  const comments = await db.selectFrom('comments').select('content').distinct().orderBy('content').limit(count).execute();
  const texts = [...new Set([...questions, ...comments].map((row) => row.content.trim()).filter((text) => text !== ''))];
  if (texts.length < count) throw new Error(`the bench database has only ${texts.length} distinct questions and comments; ${count} are needed`);
  return Random.forLabel('search-latency-texts').shuffle(texts).slice(0, count);
}
