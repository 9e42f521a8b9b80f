import { badUserInput } from '../src/errors';
import { parseId } from './arguments';

/** Largest body of text (CRS content, comments, messages) a mutation accepts: 100 kB. */
export const MAX_CONTENT_BYTES = 100 * 1024;

/** What a MySQL TEXT column holds (comments, chat messages): 64 KiB - 1 bytes, below MAX_CONTENT_BYTES. */
export const TEXT_COLUMN_BYTES = 65535;

/**
 * Trims `value` and checks its length; BAD_USER_INPUT naming `field` when it is empty or
 * longer than `max` characters.
 */
export function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text.length === 0) throw badUserInput(field, 'must not be empty.');
  if (text.length > max) throw badUserInput(field, `must be at most ${max} characters (got ${text.length}).`);
  return text;
}

/** Optional text: null/undefined/blank become null; otherwise as `requireText`. */
export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(value, field, max);
}

/**
 * Long text such as CRS content: not empty, at most `maxBytes` of UTF-8 (MAX_CONTENT_BYTES
 * unless the column is smaller).
 */
export function requireContent(value: string, field: string, maxBytes = MAX_CONTENT_BYTES): string {
  if (value.trim().length === 0) throw badUserInput(field, 'must not be empty.');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxBytes) throw badUserInput(field, `must be at most ${maxBytes} bytes (got ${bytes}).`);
  return value;
}

/** A version number a client read earlier: a whole number of at least 1. */
export function requireVersion(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw badUserInput(field, `must be a version number of at least 1 (got ${value}).`);
  return value;
}

/**
 * A list of ids given in argument `field`: each parsed like `parseId`, duplicates dropped;
 * BAD_USER_INPUT when there are more than `max` (one statement must stay small).
 */
export function requireIdList(values: readonly string[], field: string, max: number): number[] {
  if (values.length > max) throw badUserInput(field, `must list at most ${max} ids (got ${values.length}).`);
  return [...new Set(values.map((value) => parseId(value, field)))];
}

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is the mailer's job.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Lower-cases and checks an email address; BAD_USER_INPUT naming `field` when malformed. */
export function requireEmail(value: string, field = 'email'): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) {
    throw badUserInput(field, `${JSON.stringify(value)} is not an email address such as name@example.com.`);
  }
  return email;
}

/** bcrypt reads at most 72 bytes; longer passwords would be silently cut, so they are refused. */
export function requirePassword(value: string, field = 'password'): string {
  if (value.length < 8) throw badUserInput(field, 'must be at least 8 characters.');
  if (Buffer.byteLength(value, 'utf8') > 72) throw badUserInput(field, 'must be at most 72 bytes.');
  return value;
}
