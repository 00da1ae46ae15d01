/**
 * Spike detection: the cost of the last hour against the recent hourly baseline. The baseline is the median cost of
 * the hours with calls among the previous 24 (idle hours — nights, lunch — would otherwise pull the median to zero
 * and make every first busy hour a "spike"). A spike is called out once: it must end before another is announced,
 * and announcements are at least MIN_GAP_MS apart.
 */
import type { Nanos } from '../../shared/money';

export const SPIKE_FACTOR = 3;
/** Hours with calls needed among the previous 24 before there is a baseline to compare with. */
export const MIN_ACTIVE_HOURS = 3;
export const MIN_GAP_MS = 3 * 3_600_000;

export interface HourCost {
  costNanos: Nanos;
  calls: number;
}

export interface SpikeVerdict {
  spike: boolean;
  lastHourNanos: Nanos;
  /** Median of the active previous hours; null when there were too few to judge. */
  baselineNanos: Nanos | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

export function judgeSpike(previousHours: readonly HourCost[], lastHourNanos: Nanos, floorNanos: Nanos): SpikeVerdict {
  const active = previousHours.filter((h) => h.calls > 0).map((h) => h.costNanos);
  if (active.length < MIN_ACTIVE_HOURS) return { spike: false, lastHourNanos, baselineNanos: null };
  const baselineNanos = median(active);
  const spike = lastHourNanos >= floorNanos && lastHourNanos > SPIKE_FACTOR * baselineNanos;
  return { spike, lastHourNanos, baselineNanos };
}

/** Persisted: whether a spike is going on (already announced) and when the last announcement was. */
export interface SpikeState {
  active: boolean;
  announcedAt: number | null;
}

export function parseSpikeState(value: unknown): SpikeState {
  if (typeof value !== 'object' || value === null) return { active: false, announcedAt: null };
  const { active, announcedAt } = value as Record<string, unknown>;
  return { active: active === true, announcedAt: typeof announcedAt === 'number' && Number.isFinite(announcedAt) ? announcedAt : null };
}

/** Whether to announce this verdict, and the state afterwards. */
export function spikeTransition(state: SpikeState, verdict: SpikeVerdict, now: number): { announce: boolean; state: SpikeState } {
  if (!verdict.spike) return { announce: false, state: { active: false, announcedAt: state.announcedAt } };
  if (state.active) return { announce: false, state };
  if (state.announcedAt !== null && now - state.announcedAt < MIN_GAP_MS) return { announce: false, state: { active: true, announcedAt: state.announcedAt } };
  return { announce: true, state: { active: true, announcedAt: now } };
}
