import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

const ALGORITHM = 'HS256';
const ISSUER = 'bridgeai-graphql';
/** Sessions last a day; clients sign in again after that. */
export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Signs a bearer token for `userId` (HS256, `sub` = the user's id, expiring after a day). */
export function issueToken(userId: number, secret: string, now = new Date()): IssuedToken {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAtSeconds = issuedAt + TOKEN_LIFETIME_SECONDS;
  const token = jwt.sign({ sub: String(userId), iat: issuedAt, exp: expiresAtSeconds }, secretKey(secret), {
    algorithm: ALGORITHM,
    issuer: ISSUER,
  });
  return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
}

/** Tokens verified lately, kept so that a client's next requests skip the signature check. */
const VERIFIED_TOKENS_KEPT = 10_000;
const verified = new Map<string, { userId: number; expiresAtMs: number; secret: string }>();

/**
 * Returns the user id a token was issued for, or null when it is malformed, forged, expired,
 * or signed with any algorithm but HS256 (which rules out `alg: none`). A token verified before
 * with the same secret is answered from memory until it expires: its signature cannot have
 * changed, and every signed-in request would otherwise check it again.
 */
export function verifyToken(token: string, secret: string, now = Date.now()): number | null {
  const known = verified.get(token);
  if (known && known.secret === secret) {
    if (known.expiresAtMs > now) return known.userId;
    verified.delete(token);
    return null;
  }
  const userId = checkSignature(token, secret, now);
  if (userId) {
    if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value as string);
    verified.set(token, { ...userId, secret });
    return userId.userId;
  }
  return null;
}

function checkSignature(token: string, secret: string, now: number): { userId: number; expiresAtMs: number } | null {
  try {
    const payload = jwt.verify(token, secretKey(secret), { algorithms: [ALGORITHM], issuer: ISSUER, clockTimestamp: Math.floor(now / 1000) });
    if (typeof payload !== 'object' || typeof payload.sub !== 'string' || !/^[1-9]\d{0,9}$/.test(payload.sub) || typeof payload.exp !== 'number') {
      return null;
    }
    return { userId: Number(payload.sub), expiresAtMs: payload.exp * 1000 };
  } catch {
    return null;
  }
}

let lastKey: { secret: string; key: KeyObject } | undefined;

/**
 * The secret as a KeyObject (the same bytes jsonwebtoken would use), made once and reused. Given
 * a string, jsonwebtoken 9 first tries to parse it as a PEM public key on every call and only
 * falls back to an HMAC key after that throws: ~50 times the cost of the HMAC itself, and about
 * 7 % of the server's CPU under the seed's load mix (bench/results/PROFILE.md).
 */
function secretKey(secret: string): KeyObject {
  if (lastKey?.secret !== secret) lastKey = { secret, key: createSecretKey(Buffer.from(secret, 'utf8')) };
  return lastKey.key;
}
