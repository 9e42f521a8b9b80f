import { issueToken, TOKEN_LIFETIME_SECONDS, verifyToken } from '../../src/auth/tokens';

const SECRET = 'unit-test-secret-0123456789';

describe('verifyToken', () => {
  it('answers a token verified before from memory until it expires, and never for another secret', () => {
    const { token, expiresAt } = issueToken(42, SECRET);
    expect(verifyToken(token, SECRET)).toBe(42);
    expect(verifyToken(token, SECRET, expiresAt.getTime() - 1)).toBe(42);
    expect(verifyToken(token, 'another-secret-0123456789')).toBeNull();
    expect(verifyToken(token, SECRET, expiresAt.getTime())).toBeNull();
    expect(verifyToken(token, SECRET, expiresAt.getTime() + TOKEN_LIFETIME_SECONDS * 1000)).toBeNull();
  });

  it('refuses forged and malformed tokens every time', () => {
    const { token } = issueToken(7, SECRET);
    const forged = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}A`;
    expect(verifyToken(forged, SECRET)).toBeNull();
    expect(verifyToken(forged, SECRET)).toBeNull();
    expect(verifyToken('not a token', SECRET)).toBeNull();
  });
});
