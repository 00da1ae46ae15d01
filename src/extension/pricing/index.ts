/**
 * The pricer: turns a call's model and token counts into an exact cost in integer nano-dollars, or null (unpriced) when the
 * model is not known. Built from the versioned table in ./priceTable.ts plus the user's validated overrides.
 * Rules and their sources: ./README.md.
 */
import type { CallInput } from '../../shared/callRecord';
import { NANOS_PER_USD, type Nanos } from '../../shared/money';
import { computeBreakdown, computeTotal, type PriceBreakdown, type PricedModel } from './breakdown';
import { lookupCandidates, normalizeModelId } from './modelIds';
import { parseOverrides, type ValidOverride } from './overrides';
import { PRICE_TABLE, type ModelPriceRow, type PriceTable } from './priceTable';
import { toNanoCard } from './rates';

export type { PriceBreakdown, RateCardKind } from './breakdown';
export type { NanoRateCard } from './rates';
export { normalizeModelId, SYNTHETIC_MODEL } from './modelIds';
export { PRICE_TABLE } from './priceTable';

export type PricingInput = Pick<CallInput, 'model' | 'tokens' | 'ts' | 'webSearchRequests' | 'speed' | 'inferenceGeo'>;

export interface Pricer {
  /** Price-table version plus a hash of the valid user overrides; stored with each call. */
  readonly version: string;
  /** Exact cost in nano-dollars, or null when the model is unknown (unpriced). */
  price(call: PricingInput): Nanos | null;
  knows(model: string): boolean;
  /** The cost split by billing category (its `totalNanos` equals `price(call)`), or null when unpriced. */
  priceBreakdown?(call: PricingInput): PriceBreakdown | null;
  /** The canonical id a model id is priced as (e.g. `us.anthropic.claude-sonnet-4-5-20250929-v1:0` → `claude-sonnet-4-5`). */
  resolveModel?(model: string): string | null;
}

/** What {@link createPricer} returns: every optional member of {@link Pricer} is present. */
export type FullPricer = Required<Pricer>;

/** The version of the built-in table (without overrides). */
export const PRICE_TABLE_VERSION = PRICE_TABLE.version;

/** Every exact id the built-in table knows (canonical ids and their aliases), for docs and tests. */
export const KNOWN_MODEL_IDS: readonly string[] = PRICE_TABLE.models.flatMap((row) => [row.id, ...(row.aliases ?? [])]);

/** 1.1× data-residency multiplier for models the table does not know (a model added by override is newer than Opus 4.6). */
const NEW_MODEL_US_RESIDENCY_PERCENT = 110;

function toPricedModel(row: ModelPriceRow): PricedModel {
  const lc = row.longContext;
  return {
    id: row.id,
    standard: toNanoCard(row.rates),
    longContext: lc && {
      thresholdTokens: lc.thresholdTokens,
      rates: toNanoCard(lc.rates),
      beforeTs: lc.before === undefined ? undefined : Date.parse(`${lc.before}T00:00:00Z`),
    },
    fast: row.fast && toNanoCard(row.fast),
    usResidencyPercent: row.usResidencyPercent,
    overridden: false,
  };
}

function buildTableIndex(table: PriceTable): Map<string, PricedModel> {
  const index = new Map<string, PricedModel>();
  for (const row of table.models) {
    const model = toPricedModel(row);
    for (const id of [row.id, ...(row.aliases ?? [])]) index.set(id, model);
  }
  return index;
}

function findIn(index: ReadonlyMap<string, PricedModel>, model: string): PricedModel | undefined {
  for (const candidate of lookupCandidates(normalizeModelId(model))) {
    const found = index.get(candidate);
    if (found) return found;
  }
  return undefined;
}

/**
 * Applies valid overrides: one naming a known model (any of its id forms) replaces that model's rates everywhere and
 * drops its long-context and fast cards (the user's card is the whole truth); one naming an unknown id adds a model.
 */
function applyOverrides(
  index: Map<string, PricedModel>,
  overrides: readonly ValidOverride[],
  problems: string[],
): Map<string, PricedModel> {
  const applied = new Map<string, PricedModel>();
  for (const o of overrides) {
    const known = findIn(index, o.id);
    const targetId = known?.id ?? o.id;
    const previous = applied.get(targetId);
    if (previous) {
      problems.push(`Price override for "${o.key}": another entry already sets prices for ${targetId}. This entry is ignored.`);
      continue;
    }
    const replacement: PricedModel = {
      id: targetId,
      standard: o.rates,
      usResidencyPercent: known ? known.usResidencyPercent : NEW_MODEL_US_RESIDENCY_PERCENT,
      overridden: true,
    };
    applied.set(targetId, replacement);
    if (known) {
      for (const [key, model] of index) if (model === known) index.set(key, replacement);
    } else {
      index.set(o.id, replacement);
    }
  }
  return applied;
}

/** 64-bit FNV-1a: tiny, dependency-free, stable across runs; only used to notice that the overrides changed. */
function shortHash(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0').slice(0, 12);
}

function overridesFingerprint(applied: ReadonlyMap<string, PricedModel>): string {
  const entries = [...applied.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((m) => [m.id, m.standard.input, m.standard.cacheWrite5m, m.standard.cacheWrite1h, m.standard.cacheRead, m.standard.output]);
  return shortHash(JSON.stringify(entries));
}

/**
 * Builds a pricer from the built-in table and the `claudeUsage.priceOverrides` setting value (any JSON; validated).
 * `problems` holds one readable sentence per rejected override; rejected entries are ignored, the rest apply.
 * `version` is the table version, plus `+<hash of the effective overrides>` when any apply.
 */
export function createPricer(overrides: unknown): { pricer: FullPricer; problems: string[] } {
  const parsed = parseOverrides(overrides);
  const problems = [...parsed.problems];
  const index = buildTableIndex(PRICE_TABLE);
  const applied = applyOverrides(index, parsed.overrides, problems);
  const version = applied.size === 0 ? PRICE_TABLE.version : `${PRICE_TABLE.version}+${overridesFingerprint(applied)}`;
  const webSearchNanosEach = Math.round((PRICE_TABLE.webSearchUsdPer1000 * NANOS_PER_USD) / 1000);

  const resolve = memoizedLookup(index);
  const priceBreakdown = (call: PricingInput): PriceBreakdown | null => {
    const model = resolve(call.model);
    return model ? computeBreakdown(model, call, webSearchNanosEach) : null;
  };
  const pricer: FullPricer = {
    version,
    price: (call) => {
      const model = resolve(call.model);
      return model ? computeTotal(model, call, webSearchNanosEach) : null;
    },
    knows: (model) => resolve(model) !== undefined,
    priceBreakdown,
    resolveModel: (model) => resolve(model)?.id ?? null,
  };
  return { pricer, problems };
}

/** Distinct model strings remembered per pricer; a caller sending endless new ones only empties the memo now and then. */
const MEMO_LIMIT = 2048;

/**
 * `findIn` remembered per model string (normalising an id runs several regular expressions, once per call otherwise).
 * The index never changes after createPricer, and new overrides build a new pricer, so the memo cannot go stale.
 */
function memoizedLookup(index: ReadonlyMap<string, PricedModel>): (model: string) => PricedModel | undefined {
  const memo = new Map<string, PricedModel | null>();
  return (model) => {
    const hit = memo.get(model);
    if (hit !== undefined) return hit ?? undefined;
    const found = findIn(index, model);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(model, found ?? null);
    return found;
  };
}
