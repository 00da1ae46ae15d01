/**
 * Validation of the `claudeUsage.priceOverrides` setting:
 *   { "<model id>": { "input": 3, "output": 15, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "cacheRead": 0.3 } }
 * in USD per million tokens. `input` and `output` are required; a missing cache rate is derived from `input`
 * (5m write 1.25×, 1h write 2×, read 0.1×, each rounded half up to a whole nano-dollar per token).
 * A bad entry produces one sentence per problem and is ignored as a whole; the other entries still apply.
 */
import type { Nanos } from '../../shared/money';
import { normalizeModelId, SYNTHETIC_MODEL } from './modelIds';
import { mulDivRoundHalfUp, RATE_FIELDS, usdRateProblem, usdToNanosPerToken, type NanoRateCard, type RateField } from './rates';

export interface ValidOverride {
  /** The key as the user wrote it (for messages). */
  key: string;
  /** The normalised key; the pricer maps it onto a known model when it names one. */
  id: string;
  rates: NanoRateCard;
}

const REQUIRED: readonly RateField[] = ['input', 'output'];
/** Derived cache rates as a fraction of the input rate: [numerator, denominator]. */
const DERIVED: Readonly<Record<'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead', readonly [number, number]>> = {
  cacheWrite5m: [5, 4],
  cacheWrite1h: [2, 1],
  cacheRead: [1, 10],
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRateField(key: string): key is RateField {
  return (RATE_FIELDS as readonly string[]).includes(key);
}

export function parseOverrides(raw: unknown): { overrides: ValidOverride[]; problems: string[] } {
  const overrides: ValidOverride[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { overrides, problems };
  if (!isPlainObject(raw)) {
    problems.push(
      `claudeUsage.priceOverrides must be an object mapping model ids to prices, e.g. ` +
        `{ "my-model": { "input": 3, "output": 15 } }; got ${Array.isArray(raw) ? 'an array' : typeof raw}. All overrides are ignored.`,
    );
    return { overrides, problems };
  }
  for (const [key, value] of Object.entries(raw)) {
    const entryProblems: string[] = [];
    const id = normalizeModelId(key);
    const label = `Price override for "${key}"`;
    if (id === '' || id === SYNTHETIC_MODEL) {
      problems.push(`${label}: "${key}" is not a model id. This entry is ignored.`);
      continue;
    }
    if (!isPlainObject(value)) {
      problems.push(
        `${label}: expected an object like { "input": 3, "output": 15 } (USD per million tokens), ` +
          `got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}. This entry is ignored.`,
      );
      continue;
    }
    const nanos: Partial<Record<RateField, Nanos>> = {};
    for (const [field, fieldValue] of Object.entries(value)) {
      if (!isRateField(field)) {
        entryProblems.push(`"${field}" is not a known field (use ${RATE_FIELDS.join(', ')})`);
        continue;
      }
      const problem = usdRateProblem(fieldValue);
      if (problem !== null) entryProblems.push(`"${field}" ${problem}`);
      else nanos[field] = usdToNanosPerToken(fieldValue as number);
    }
    for (const field of REQUIRED) {
      if (!(field in value)) entryProblems.push(`"${field}" is required`);
    }
    if (entryProblems.length > 0) {
      for (const p of entryProblems) problems.push(`${label}: ${p}. This entry is ignored.`);
      continue;
    }
    overrides.push({ key, id, rates: completeCard(nanos) });
  }
  return { overrides, problems };
}

function completeCard(nanos: Partial<Record<RateField, Nanos>>): NanoRateCard {
  const input = nanos.input ?? 0;
  const derive = (field: keyof typeof DERIVED): Nanos =>
    nanos[field] ?? mulDivRoundHalfUp(input, DERIVED[field][0], DERIVED[field][1]);
  return {
    input,
    cacheWrite5m: derive('cacheWrite5m'),
    cacheWrite1h: derive('cacheWrite1h'),
    cacheRead: derive('cacheRead'),
    output: nanos.output ?? 0,
  };
}
