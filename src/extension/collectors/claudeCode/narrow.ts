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
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** No single call comes near this many tokens in one field; anything larger is corrupt input, not usage. */
export const MAX_TOKENS_PER_FIELD = 100_000_000;

/**
 * A token or request count: a whole number from 0 to MAX_TOKENS_PER_FIELD. `undefined` when the field is absent
 * (or null), `NaN` when present but not a valid count, so callers can reject the whole line instead of storing a
 * wrong number.
 */
export function countField(obj: JsonObject, key: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_TOKENS_PER_FIELD) return NaN;
  return v;
}
