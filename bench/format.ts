import type { Summary } from './stats';

/** 1,234.5 style; "–" for NaN (a side that produced no value). */
export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "median (min–max)", or just the value when every sample was the same. */
export function formatSummary(summary: Summary, digits = 0): string {
  const median = formatNumber(summary.median, digits);
  if (summary.samples.length < 2 || summary.min === summary.max) return median;
  return `${median} (${formatNumber(summary.min, digits)}–${formatNumber(summary.max, digits)})`;
}

/** Digits that keep about three significant figures of `value`. */
export function significantDigits(value: number): number {
  const magnitude = Math.abs(value);
  if (!Number.isFinite(magnitude) || magnitude >= 100) return 0;
  if (magnitude >= 10) return 1;
  if (magnitude >= 1) return 2;
  return 3;
}
