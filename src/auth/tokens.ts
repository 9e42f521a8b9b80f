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
  const token = jwt.sign({ sub: String(userId), iat: issuedAt, exp: expiresAtSeconds }, secret, {
    algorithm: ALGORITHM,
    issuer: ISSUER,
  });
  return { token, expiresAt: new Date(expiresAtSeconds * 1000) };
}

/**
 * Returns the user id a token was issued for, or null when it is malformed, forged, expired,
 * or signed with any algorithm but HS256 (which rules out `alg: none`).
 */
export function verifyToken(token: string, secret: string): number | null {
  try {
    const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER });
    if (typeof payload !== 'object' || typeof payload.sub !== 'string' || !/^[1-9]\d{0,9}$/.test(payload.sub)) {
      return null;
    }
    return Number(payload.sub);
  } catch {
    return null;
  }
}
