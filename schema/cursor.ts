import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { badUserInput } from '../src/errors';
import type { KeysetPosition } from '../loaders/rows';

/** The lists whose cursors are told apart, so a cursor of one list is refused by another. */
export type CursorKind = 'project' | 'notification' | 'message';

/** Cursors {@link CursorCodec.encode} remembers; the oldest is forgotten first. */
const MAX_REMEMBERED_CURSORS = 4096;

/**
 * Opaque keyset cursors: `base64url(kind:time:id).signature`. The signature (HMAC-SHA256 with
 * a key derived from the server's secret) makes a tampered or foreign cursor detectable, so it
 * becomes BAD_USER_INPUT instead of a wrong page.
 */
export class CursorCodec {
  readonly #key: KeyObject;
  /**
   * The cursors signed lately, by position: clients poll the same first pages (a notification
   * bell, a chat), whose endCursor is the same until something new arrives, and an HMAC costs
   * more than the rest of a cursor's work.
   */
  readonly #signed = new Map<string, string>();

  constructor(secret: string) {
    this.#key = createSecretKey(createHmac('sha256', secret).update('bridgeai cursor key').digest());
  }

  encode(kind: CursorKind, position: KeysetPosition): string {
    const text = `${kind}:${position.time.getTime()}:${position.id}`;
    let cursor = this.#signed.get(text);
    if (cursor === undefined) {
      const payload = Buffer.from(text).toString('base64url');
      cursor = `${payload}.${this.#sign(payload).toString('base64url')}`;
      if (this.#signed.size >= MAX_REMEMBERED_CURSORS) this.#signed.delete(this.#signed.keys().next().value!);
      this.#signed.set(text, cursor);
    }
    return cursor;
  }

  /** Decodes a cursor given in argument `field`; BAD_USER_INPUT when it is not one of ours. */
  decode(kind: CursorKind, cursor: string, field: string): KeysetPosition {
    const invalid = () => badUserInput(field, 'is not a cursor this list produced; pass an endCursor from an earlier page.');
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined) throw invalid();
    const expected = this.#sign(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    const match = /^(\w+):(\d{1,15}):(\d{1,10})$/.exec(Buffer.from(payload, 'base64url').toString());
    if (!match || match[1] !== kind) throw invalid();
    return { time: new Date(Number(match[2])), id: Number(match[3]) };
  }

  #sign(payload: string): Buffer {
    return createHmac('sha256', this.#key).update(payload).digest().subarray(0, 16);
  }
}
