/**
 * Turns the parsed lines of one transcript file into calls: attribution (chat / agent / memory and the consumer),
 * duration, and merging of streaming copies. The context state is persisted with the file's read offset, so an
 * append is parsed exactly as if the whole file had been read at once.
 *
 * Attribution:
 * - chat: main-chain calls of an interactive session; consumer `claude-code:session:<sessionId>`, named by its title.
 * - agent: subagent calls (a subagent file, an inline `isSidechain` line, a copy wrapped in a `progress` line), consumer
 *   `claude-code:agent:<agentId>`; and headless runs (entrypoint sdk-cli / sdk-ts / sdk-py, sessionKind daemon /
 *   daemon-worker), consumer `claude-code:run:<sessionId>`, named "<project folder>: <first prompt>".
 * - memory: `usage.iterations[]` entries of type `compaction` (server-side compaction, billed beside the message), and
 *   any real assistant call between a `compact_boundary` and the next user line (the summarising call, should a
 *   Claude Code version write it). Client-side `/compact` calls that leave no assistant line are not invented.
 *
 * Duration: from the timestamp of the user line (prompt or tool result) that precedes a message's first copy, to its
 * last copy's timestamp. Unknown (null) when no user line precedes it directly (a second message in a row, a retry
 * after an API error) or the gap is implausible.
 */
import type { CallInput, Source } from '../../../shared/callRecord';
import { totalTokens } from '../../../shared/callRecord';
import type { ApiCallFacts, Envelope, ParsedLine } from './lineParser';
import { shortString } from './narrow';
import { CHAT, emptyChain, RUN, type ChainState, type ConsumerSpec, type ContextState } from './contextState';
import { agentName, chatName, headlessRunName, shortName, type AgentMeta } from './names';
import type { LaneOutcome } from './fileLane';
import type { TranscriptFile } from './transcriptFiles';

const NON_INTERACTIVE_ENTRYPOINTS = new Set(['sdk-cli', 'sdk-ts', 'sdk-py']);
const NON_INTERACTIVE_KINDS = new Set(['daemon', 'daemon-worker']);
/** Longer than any real response: a gap this long means the user line was not this request's start. */
const MAX_DURATION_MS = 60 * 60 * 1000;
const MAX_CHAINS = 32;
const MAX_AGENTS = 256;
const MAX_NAMED = 512;

interface Candidate {
  input: CallInput;
  spec: ConsumerSpec;
}

export interface Drained {
  calls: CallInput[];
  renames: Array<{ key: string; name: string }>;
}

export class TranscriptContext {
  private readonly copies = new Map<string, Candidate>();
  /**
   * Strings made for the agent of the previous call or line, reused while it stays the same (lines of one chain
   * come together): a key string made per line is hashed again each time it is looked up.
   */
  private agentForChain: string | undefined = undefined;
  private agentChainKey = '';
  private agentSpec: ConsumerSpec = CHAT;
  private agentConsumerKey = '';
  private chatKey: string | undefined = undefined;
  private runKey: string | undefined = undefined;

  constructor(
    private readonly file: TranscriptFile,
    readonly state: ContextState,
    /** Meta of a subagent file's own agent. */
    private readonly ownMeta: AgentMeta | undefined,
    /** Meta of another agent of the same session (for copies wrapped in this transcript). */
    private readonly lookupAgent: (agentId: string) => AgentMeta | undefined,
  ) {}

  /** The `custom-title.json` sidecar changed (mtime undefined: it is gone). */
  setSidecarTitle(mtimeMs: number | undefined, title: string | undefined): void {
    // Cleared fields are set to undefined, never deleted (JSON leaves them out alike): deleting a field that is not
    // an object's last turns it into a dictionary, and every later read of the state a slow lookup.
    this.state.sidecarMtime = mtimeMs;
    this.state.titles.sidecar = title || undefined;
  }

  /** Feeds one parsed line; returns a reason when the line must be counted as skipped. */
  handle(line: ParsedLine): string | undefined {
    switch (line.kind) {
      case 'call':
        return this.onCall(line.env, line.call);
      case 'user':
        this.onUser(line.env, line.prompt);
        return undefined;
      case 'notCall': {
        const chain = this.chain(line.env);
        chain.p = null;
        chain.o = undefined;
        return undefined;
      }
      case 'compactBoundary':
        if (!line.env.isSidechain) {
          this.state.compact = true;
          // When the summarising request started is not written down.
          this.chain(line.env).p = null;
        }
        return undefined;
      case 'title':
        if (this.file.kind === 'session' && (line.sessionId === undefined || line.sessionId === this.file.sessionId)) {
          const name = shortName(line.text);
          if (name) this.state.titles[line.slot] = name;
        }
        return undefined;
      case 'bad':
        return line.reason;
      case 'ignored':
        return undefined;
    }
  }

  /** Whether a user line's text could still become a name (the first prompt, or an inline subagent's). */
  wantsPrompt(sidechain: boolean): boolean {
    if (this.state.titles.first === undefined) return true;
    return this.file.kind === 'session' && sidechain;
  }

  /** The merged calls read since the last drain (names resolved now), and renames of consumers named earlier. */
  drain(): Drained {
    const calls: CallInput[] = [];
    // A consumer's key says which spec it has, and names do not change during a drain: each is made once.
    const names = new Map<string, string>();
    const nameOf = (key: string, spec: ConsumerSpec): string => {
      let name = names.get(key);
      if (name === undefined) {
        name = this.nameOf(spec);
        names.set(key, name);
      }
      return name;
    };
    for (const c of this.copies.values()) {
      const key = c.input.consumer.key;
      c.input.consumer.name = nameOf(key, c.spec);
      calls.push(c.input);
      if (!this.state.named[key]) this.state.named[key] = { n: c.input.consumer.name, s: c.spec };
    }
    this.copies.clear();
    const renames: Array<{ key: string; name: string }> = [];
    for (const [key, entry] of Object.entries(this.state.named)) {
      const name = nameOf(key, entry.s);
      if (name !== entry.n) {
        renames.push({ key, name });
        entry.n = name;
      }
    }
    trim(this.state.named, MAX_NAMED);
    return { calls, renames };
  }

  private onUser(env: Envelope, prompt: string | undefined): void {
    this.noteSession(env);
    const chain = this.chain(env);
    chain.p = env.ts ?? null;
    chain.o = undefined;
    if (!env.isSidechain) this.state.compact = undefined;
    this.namePrompt(env.isSidechain && this.file.kind === 'session' ? this.inlineAgentId(env) : undefined, prompt);
  }

  /** A user line's prompt the lane (fileLane.ts) met while the conversation had no first prompt yet. */
  notePrompt(prompt: string | undefined): void {
    this.namePrompt(undefined, prompt);
  }

  /**
   * The calls and state the lane (fileLane.ts) read from a fresh file, as if its lines had been handled here; titles
   * and prompts were handled here as the lane met them.
   */
  adoptLane(lane: LaneOutcome): void {
    const s = this.state;
    if (lane.chain) s.chains[lane.chain.key] = lane.chain.state;
    s.cwd = lane.cwd;
    s.kind = lane.kind;
    s.compact = lane.compact;
    for (const { input, consumer } of lane.calls) {
      const spec = consumer === 'chat' ? CHAT : consumer === 'run' ? RUN : this.agent(this.file.agentId ?? '');
      input.consumer.key = this.consumerKey(spec);
      this.copies.set(input.key, { input, spec });
    }
  }

  /** A name is made only where one is missing (an inline agent's, the conversation's first prompt). */
  private namePrompt(agentId: string | undefined, prompt: string | undefined): void {
    if (prompt === undefined || (agentId === undefined ? this.state.titles.first !== undefined : this.state.agents[agentId] !== undefined)) return;
    const name = shortName(prompt);
    if (!name) return;
    if (agentId === undefined) this.state.titles.first = name;
    else {
      this.state.agents[agentId] = name;
      trim(this.state.agents, MAX_AGENTS);
    }
  }

  private onCall(env: Envelope, call: ApiCallFacts): string | undefined {
    this.noteSession(env);
    const key = call.id ?? call.requestId ?? (call.uuid ? `uuid:${call.uuid}` : undefined);
    if (!key) return 'assistant message without an id';
    const chain = this.chain(env);
    let open = chain.o;
    if (!open || open.id !== key) {
      const start = chain.p !== undefined && chain.p !== null && chain.p <= call.ts ? chain.p : null;
      open = { id: key, f: call.ts, l: call.ts, s: start };
      chain.o = open;
      chain.p = null;
    } else if (call.ts > open.l) open.l = call.ts;
    const span = open.s === null ? null : open.l - open.s;
    const durationMs = span !== null && span >= 0 && span <= MAX_DURATION_MS ? span : null;

    const spec = this.specFor(env);
    const sidechain = env.isSidechain || this.file.kind === 'subagent';
    let source: Source = spec.k === 'chat' ? 'chat' : 'agent';
    if (this.state.compact && !sidechain) source = 'memory';
    const u = call.usage;
    // Every field in one literal (absent ones undefined): one allocation and one shape for every call.
    const base: CallInput = {
      key,
      requestId: call.requestId || undefined,
      ts: open.f,
      source,
      consumer: { key: this.consumerKey(spec), name: '' },
      model: call.model,
      tokens: u.tokens,
      webSearchRequests: u.webSearchRequests,
      webFetchRequests: u.webFetchRequests,
      serviceTier: u.serviceTier || undefined,
      speed: u.speed || undefined,
      inferenceGeo: u.inferenceGeo || undefined,
      durationMs,
      project: (env.cwd ?? this.state.cwd) || undefined,
      collector: 'claude-code',
      sidechain,
    };
    this.addCopy({ input: base, spec });

    for (const it of u.iterations) {
      const derived: CallInput = {
        ...base,
        key: `${key}:${it.kind}:${it.index}`,
        source: it.kind === 'compaction' ? 'memory' : source,
        consumer: { ...base.consumer },
        model: it.model ?? call.model,
        tokens: it.tokens,
        webSearchRequests: 0,
        webFetchRequests: 0,
        speed: undefined,
        durationMs: null,
      };
      this.addCopy({ input: derived, spec });
    }
    return undefined;
  }

  /** Keeps the best copy of each call: non-sidechain over sidechain, then the larger token total. */
  private addCopy(c: Candidate): void {
    const existing = this.copies.get(c.input.key);
    if (!existing) {
      this.copies.set(c.input.key, c);
      return;
    }
    const longest = maxDuration(existing.input.durationMs, c.input.durationMs);
    const winner = isBetterCopy(c.input, existing.input) ? c : existing;
    winner.input.durationMs = longest;
    this.copies.set(c.input.key, winner);
  }

  private noteSession(env: Envelope): void {
    if (env.cwd && !env.isSidechain) this.state.cwd = env.cwd;
    else if (env.cwd && !this.state.cwd) this.state.cwd = env.cwd;
    if (this.state.kind === undefined && (env.entrypoint || env.sessionKind) && !env.wrapped) {
      this.state.kind = isHeadless(env) ? 'headless' : 'interactive';
    }
  }

  private specFor(env: Envelope): ConsumerSpec {
    if (this.file.kind === 'subagent') return this.agent(this.file.agentId || this.inlineAgentId(env));
    if (env.isSidechain) return this.agent(this.inlineAgentId(env));
    const headless = env.entrypoint || env.sessionKind ? isHeadless(env) : this.state.kind === 'headless';
    return headless ? RUN : CHAT;
  }

  /** The spec of an agent's calls, and its consumer key (one object and one string while the agent stays the same). */
  private agent(agentId: string): ConsumerSpec {
    const spec = this.agentSpec;
    if (spec.k === 'agent' && spec.a === agentId) return spec;
    this.agentSpec = { k: 'agent', a: agentId };
    this.agentConsumerKey = consumerKey(this.agentSpec, this.file.sessionId);
    return this.agentSpec;
  }

  private consumerKey(spec: ConsumerSpec): string {
    switch (spec.k) {
      case 'chat':
        return (this.chatKey ??= consumerKey(spec, this.file.sessionId));
      case 'run':
        return (this.runKey ??= consumerKey(spec, this.file.sessionId));
      case 'agent':
        return spec === this.agentSpec ? this.agentConsumerKey : consumerKey(spec, this.file.sessionId);
    }
  }

  private inlineAgentId(env: Envelope): string {
    return env.agentId ?? `${this.file.sessionId}-sidechain`;
  }

  private chain(env: Envelope): ChainState {
    const key = env.isSidechain || this.file.kind === 'subagent' ? this.agentChainKeyOf(env.agentId ?? '') : 'main';
    let chain = this.state.chains[key];
    if (!chain) {
      chain = emptyChain();
      this.state.chains[key] = chain;
      trim(this.state.chains, MAX_CHAINS);
    }
    return chain;
  }

  private agentChainKeyOf(agentId: string): string {
    if (agentId !== this.agentForChain) {
      this.agentForChain = agentId;
      this.agentChainKey = `a:${agentId}`;
    }
    return this.agentChainKey;
  }

  private nameOf(spec: ConsumerSpec): string {
    switch (spec.k) {
      case 'chat':
        return chatName(this.state.titles, this.file.sessionId);
      case 'run':
        return headlessRunName(this.state.titles, this.state.cwd);
      case 'agent':
        if (this.file.kind === 'subagent' && spec.a === this.file.agentId) {
          return agentName(this.ownMeta, this.state.titles.first, spec.a);
        }
        return agentName(this.lookupAgent(spec.a), this.state.agents[spec.a], spec.a);
    }
  }
}

function consumerKey(spec: ConsumerSpec, sessionId: string): string {
  switch (spec.k) {
    case 'chat':
      return `claude-code:session:${sessionId}`;
    case 'run':
      return `claude-code:run:${sessionId}`;
    case 'agent':
      return `claude-code:agent:${spec.a}`;
  }
}

function isHeadless(env: Envelope): boolean {
  return (
    (env.entrypoint !== undefined && NON_INTERACTIVE_ENTRYPOINTS.has(env.entrypoint)) ||
    (env.sessionKind !== undefined && NON_INTERACTIVE_KINDS.has(env.sessionKind))
  );
}

export function isBetterCopy(candidate: CallInput, current: CallInput): boolean {
  const cs = candidate.sidechain === true;
  const ws = current.sidechain === true;
  if (cs !== ws) return !cs;
  return totalTokens(candidate.tokens) > totalTokens(current.tokens);
}

function maxDuration(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return Math.max(a, b);
}

/** Drops the oldest entries of a record used as an insertion-ordered map. */
function trim(record: Record<string, unknown>, max: number): void {
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length - max; i++) delete record[keys[i]];
}
