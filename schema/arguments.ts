import { badUserInput } from '../src/errors';

/** The contract's cap on every list's `first`. */
export const MAX_PAGE_SIZE = 200;

/**
 * Validates a list's `first`: null means the field's default; 0..200 is taken as given; anything
 * else is BAD_USER_INPUT (never silently truncated).
 */
export function pageSize(first: number | null | undefined, fallback: number, field = 'first'): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(field, `must be between 0 and ${MAX_PAGE_SIZE} (got ${first}); page with the cursor for more.`);
  }
  return first;
}

const ID_PATTERN = /^[1-9]\d{0,9}$/;
const MAX_ID = 4294967295;

/** Parses an ID argument ("42"); BAD_USER_INPUT when it is not a positive decimal number. */
export function parseId(id: string | number, field = 'id'): number {
  const text = String(id);
  if (!ID_PATTERN.test(text) || Number(text) > MAX_ID) {
    throw badUserInput(field, `${JSON.stringify(text)} is not an id; ids are positive decimal numbers such as "42".`);
  }
  return Number(text);
}
