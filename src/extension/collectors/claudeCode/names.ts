/**
 * Display names for consumers: a conversation's title, a subagent's type and task, a headless run's project and
 * prompt. Names are the only text the collector keeps, and only short: whitespace collapsed, cut to NAME_MAX
 * characters. Nothing else of a prompt is ever stored.
 */
import path from 'node:path';

export const NAME_MAX = 200;

/** Titles in the order Claude Code's `/resume` list uses: the first one present names the conversation. */
export interface SessionTitles {
  /** `<sessionId>/custom-title.json`, which wins over in-file custom titles. */
  sidecar?: string;
  custom?: string;
  ai?: string;
  lastPrompt?: string;
  summary?: string;
  /** The first real prompt. */
  first?: string;
}

export type TitleSlot = Exclude<keyof SessionTitles, 'sidecar' | 'first'>;

/** Whitespace collapsed, trimmed, cut to `max` characters (by code point, with an ellipsis); undefined when empty. */
export function shortName(text: string, max = NAME_MAX): string | undefined {
  // Most texts are long prompts: when the first 2 × max characters already collapse to more than max, the name is
  // the one the whole text gives (only its first max - 1 characters are kept), for a quarter of the work.
  if (text.length > max * 2) {
    const quick = collapsedName(text.slice(0, max * 2), max);
    if (quick.cut) return quick.name;
  }
  // Cut before collapsing so a megabyte prompt costs no more than a short one.
  return collapsedName(text.slice(0, max * 8), max).name;
}

function collapsedName(text: string, max: number): { name: string | undefined; cut: boolean } {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  if (!collapsed) return { name: undefined, cut: false };
  const kept = collapsed.length <= max ? undefined : prefixIfLonger(collapsed, max);
  return kept === undefined ? { name: collapsed, cut: false } : { name: `${kept.trimEnd()}…`, cut: true };
}

/**
 * The first `max - 1` code points of `s` when it has more than `max`, else undefined. Code points as a string's
 * iterator counts them (a surrogate pair is one, a lone surrogate one), counted only as far as needed.
 */
function prefixIfLonger(s: string, max: number): string | undefined {
  let i = 0;
  let keep = 0;
  for (let n = 0; i < s.length; n++) {
    if (n === max - 1) keep = i;
    if (n === max) return s.slice(0, keep);
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return undefined;
}

/** Whether a user message's text is a real prompt (not a command echo, a reminder, an interruption marker). */
export function isRealPromptText(text: string): boolean {
  const t = text.trimStart();
  return t.length > 0 && !t.startsWith('<') && !t.startsWith('[Request interrupted by user');
}

export function sessionTitle(t: SessionTitles): string | undefined {
  return t.sidecar ?? t.custom ?? t.ai ?? t.lastPrompt ?? t.summary ?? t.first;
}

export function chatName(t: SessionTitles, sessionId: string): string {
  return sessionTitle(t) ?? `Session ${sessionId.slice(0, 8)}`;
}

/** A headless run (`claude -p`, the Agent SDK): "<project folder>: <first prompt>". */
export function headlessRunName(t: SessionTitles, cwd: string | undefined): string {
  const project = cwd ? path.basename(cwd.replace(/[\\/]+$/, '')) || cwd : 'headless';
  const what = t.first ?? sessionTitle(t) ?? 'headless run';
  return shortName(`${project}: ${what}`) ?? project;
}

export interface AgentMeta {
  agentType?: string;
  description?: string;
  name?: string;
}

/** "general-purpose: Explore auth flow"; falls back to the subagent's first prompt, then its id. */
export function agentName(meta: AgentMeta | undefined, firstPrompt: string | undefined, agentId: string): string {
  const task = meta?.description ?? meta?.name;
  let name: string | undefined;
  if (meta?.agentType && task) name = `${meta.agentType}: ${task}`;
  else name = meta?.agentType ?? task ?? (firstPrompt ? `Subagent: ${firstPrompt}` : undefined);
  return shortName(name ?? `Subagent ${agentId}`) ?? `Subagent ${agentId}`;
}
