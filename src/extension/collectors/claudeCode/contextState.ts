/**
 * The state a transcript's context keeps between reads (persisted with the file's read offset, see fileReadState.ts):
 * its shape, a new one, and a stored one read back defensively.
 */
import { asObject, anyString, shortString } from './narrow';
import type { SessionTitles } from './names';

export type ConsumerSpec = { k: 'chat' } | { k: 'run' } | { k: 'agent'; a: string };

/** The two specs without an agent: one object each (a spec is only read, and stored in `named` as is). */
export const CHAT: ConsumerSpec = Object.freeze({ k: 'chat' });
export const RUN: ConsumerSpec = Object.freeze({ k: 'run' });

export interface ChainState {
  /** Timestamp of the user line waiting for its response (null: unknown). */
  p?: number | null;
  /** The message being streamed: id, first and last copy time, request start. */
  o?: { id: string; f: number; l: number; s: number | null };
}

export interface ContextState {
  kind?: 'interactive' | 'headless';
  cwd?: string;
  titles: SessionTitles;
  sidecarMtime?: number;
  chains: Record<string, ChainState>;
  /** A compact boundary was seen and no user line since. */
  compact?: boolean;
  /** First prompt of inline sidechain agents (older versions), by agent id. */
  agents: Record<string, string>;
  /** Names already given to the sink, so a later title becomes a rename. */
  named: Record<string, { n: string; s: ConsumerSpec }>;
}

export function emptyContext(): ContextState {
  // Prototype-free maps: ids from transcripts (even "__proto__") are plain keys. Every optional field is there from
  // the start (undefined; JSON leaves it out), so every state has one shape: fields added later made the optimized
  // parse path deoptimize and compile again.
  return {
    kind: undefined, cwd: undefined, titles: emptyTitles(), sidecarMtime: undefined, chains: dict(), compact: undefined,
    agents: dict(), named: dict(),
  };
}

function emptyTitles(): SessionTitles {
  return { sidecar: undefined, custom: undefined, ai: undefined, lastPrompt: undefined, summary: undefined, first: undefined };
}

/** A chain's state, with both fields there from the start (see emptyContext). */
export function emptyChain(): ChainState {
  return { p: undefined, o: undefined };
}

function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A persisted context, defensively re-read (it comes from disk). Unusable parts are dropped, never trusted. */
export function normalizeContext(value: unknown): ContextState {
  const o = asObject(value);
  const ctx = emptyContext();
  if (!o) return ctx;
  if (o.kind === 'interactive' || o.kind === 'headless') ctx.kind = o.kind;
  ctx.cwd = shortString(o.cwd, 4096);
  const titles = asObject(o.titles);
  if (titles) {
    for (const key of ['sidecar', 'custom', 'ai', 'lastPrompt', 'summary', 'first'] as const) {
      const t = shortString(titles[key], 1000);
      if (t) ctx.titles[key] = t;
    }
  }
  if (typeof o.sidecarMtime === 'number' && Number.isFinite(o.sidecarMtime)) ctx.sidecarMtime = o.sidecarMtime;
  if (o.compact === true) ctx.compact = true;
  for (const [k, v] of Object.entries(asObject(o.chains) ?? {})) {
    const c = asObject(v);
    if (!c) continue;
    const chain = emptyChain();
    if (typeof c.p === 'number' && Number.isFinite(c.p)) chain.p = c.p;
    const open = asObject(c.o);
    const id = shortString(open?.id);
    if (open && id && isFiniteNumber(open.f) && isFiniteNumber(open.l) && (open.s === null || isFiniteNumber(open.s))) {
      chain.o = { id, f: open.f, l: open.l, s: open.s };
    }
    ctx.chains[k] = chain;
  }
  for (const [k, v] of Object.entries(asObject(o.agents) ?? {})) {
    const name = shortString(v, 1000);
    if (name) ctx.agents[k] = name;
  }
  for (const [k, v] of Object.entries(asObject(o.named) ?? {})) {
    const entry = asObject(v);
    const n = anyString(entry?.n);
    const spec = asObject(entry?.s);
    const a = shortString(spec?.a);
    const s: ConsumerSpec | undefined =
      spec?.k === 'chat' ? CHAT : spec?.k === 'run' ? RUN : spec?.k === 'agent' && a ? { k: 'agent', a } : undefined;
    if (n !== undefined && s) ctx.named[k] = { n, s };
  }
  return ctx;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
