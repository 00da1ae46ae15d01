/** Small guards for reading `unknown` JSON without trusting its shape. */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A non-empty string no longer than `maxLength` (ids, models, enums), else undefined. */
export function shortString(value: unknown, maxLength = 256): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : undefined;
}

/** Any string, for texts that are cut down later (prompts, titles). */
export function anyString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An ISO timestamp as UTC ms, or undefined when missing or not a date. */
export function timestampMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length < 10 || value.length > 40) return undefined;
  // Claude Code's own form is read exactly (Date.parse would roll 2026-02-30 over into March).
  if (value.length === 24 && value.charCodeAt(10) === 84 && value.charCodeAt(23) === 90) {
    for (let i = 0; i < 24; i++) {
      const c = value.charCodeAt(i);
      isoText[i] = c < 0x80 ? c : 0; // 0 fails every check of the form: 'İ' must not pass for '0' (U+0130 & 0xFF)
    }
    return utcIsoMs(isoText, 0);
  }
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A string timestamp's characters as bytes (non-ASCII ones as 0), for utcIsoMs. */
const isoText = new Uint8Array(24);

/**
 * timestampMs of the ASCII text [from, from + 24) of `bytes`, without making a string of it, when the text has the
 * shape of Claude Code's form (`T` and `Z` in place); null when it does not (then decode it and call timestampMs).
 */
export function isoBytesMs(bytes: Uint8Array, from: number): number | undefined | null {
  if (bytes[from + 10] !== 84 || bytes[from + 23] !== 90) return null;
  return utcIsoMs(bytes, from);
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (what Claude Code writes) at `from` in `text`; undefined for anything else. Read from
 * the bytes directly (every line's timestamp passes here): no closure per call, no string.
 */
function utcIsoMs(text: Uint8Array, from: number): number | undefined {
  if (text[from + 4] !== 45 || text[from + 7] !== 45 || text[from + 10] !== 84 || text[from + 13] !== 58) return undefined;
  if (text[from + 16] !== 58 || text[from + 19] !== 46 || text[from + 23] !== 90) return undefined;
  // Straight-line digits (a loop per field was inlined seven times over): a bad one makes its field negative.
  const year = digit(text, from) * 1000 + digit(text, from + 1) * 100 + digit(text, from + 2) * 10 + digit(text, from + 3);
  const month = digit(text, from + 5) * 10 + digit(text, from + 6);
  const day = digit(text, from + 8) * 10 + digit(text, from + 9);
  const hour = digit(text, from + 11) * 10 + digit(text, from + 12);
  const minute = digit(text, from + 14) * 10 + digit(text, from + 15);
  const second = digit(text, from + 17) * 10 + digit(text, from + 18);
  const milli = digit(text, from + 20) * 100 + digit(text, from + 21) * 10 + digit(text, from + 22);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return undefined;
  return ((daysSinceEpoch(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the civil-days algorithm: 400-year eras of
 * 146,097 days, years counted from March so the leap day comes last). Integer arithmetic, cheaper than Date.UTC, and
 * exact for years 0–99 too, which Date.UTC would read as 1900–1999.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The digit at text[i]; any other byte gives -10000, which keeps every field it is part of negative. */
function digit(text: Uint8Array, i: number): number {
  const d = text[i] - 48;
  return d >= 0 && d <= 9 ? d : -10_000;
}

/** No single call comes near this many tokens in one field; anything larger is corrupt input, not usage. */
export const MAX_TOKENS_PER_FIELD = 100_000_000;

/**
 * A token or request count: a whole number from 0 to MAX_TOKENS_PER_FIELD. `undefined` when the field is absent
 * (or null), `NaN` when present but not a valid count, so callers can reject the whole line instead of storing a
 * wrong number.
 */
export function countValue(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_TOKENS_PER_FIELD) return NaN;
  return v;
}
