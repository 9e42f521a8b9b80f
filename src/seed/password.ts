import { encodeBase64, hash } from 'bcryptjs';
import { Random } from './prng';

const cost = 10;

/**
 * bcrypt hash of `password` (cost 10) with a salt drawn from the seeded generator, so the same
 * seed writes the same bytes. Fine for demo data, whose password is published anyway; real
 * accounts get random salts from the sign-up code, never from here.
 */
export async function seededPasswordHash(password: string): Promise<string> {
  const saltBytes = Random.forLabel(`password-salt:${password}`).bytes(16);
  const salt = `$2b$${cost}$${encodeBase64(saltBytes, 16)}`;
  return hash(password, salt);
}
