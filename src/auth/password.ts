import bcrypt from 'bcryptjs';

/** bcrypt cost: about 50–100 ms per hash on this class of machine, slow enough to resist guessing. */
const COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/**
 * A real hash of no one's password, compared against when the email is unknown, so that a
 * login for an unknown email costs as long as one with a wrong password.
 */
export const DECOY_HASH = bcrypt.hashSync('decoy password that matches nothing', COST);
