/**
 * Who made a proxied call: the source (`x-claude-usage-source`) and the consumer (`x-claude-usage-name`, else a short
 * name from the User-Agent, e.g. `Anthropic/JS 0.71.2` → `Anthropic/JS`).
 */
import { type ConsumerRef, type Source, isSource } from '../../../shared/callRecord';
import type { ProxyLog } from './proxyTypes';

export interface CallerIdentity {
  source: Source;
  consumer: ConsumerRef;
}

export interface CallerHeaders {
  source?: string;
  name?: string;
  userAgent?: string;
}

const MAX_NAME_LENGTH = 80;
const UNKNOWN_CLIENT = 'Unknown API client';
/** Each distinct bad source value is reported once, not on every call of a script that keeps sending it. */
const MAX_REMEMBERED_BAD_SOURCES = 32;

function cleanText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH).trim();
}

const VERSION = /^v?\d[\w.+-]*$/i;

/**
 * The product part of a User-Agent without versions or comments: `curl/8.5.0` → `curl`,
 * `claude-cli/2.1.3 (external, cli)` → `claude-cli`, `Anthropic/Python 0.40.0` → `Anthropic/Python`.
 */
export function shortClientName(userAgent: string | undefined): string {
  if (!userAgent) return UNKNOWN_CLIENT;
  const tokens = userAgent.replace(/\([^)]*\)?/g, ' ').split(/\s+/).filter(Boolean);
  const kept: string[] = [];
  for (const token of tokens) {
    if (VERSION.test(token)) break;
    const slash = token.indexOf('/');
    if (slash > 0 && VERSION.test(token.slice(slash + 1))) {
      kept.push(token.slice(0, slash));
      break;
    }
    kept.push(token);
    if (kept.length === 3) break;
  }
  return cleanText(kept.join(' ')) || UNKNOWN_CLIENT;
}

/** Same name, same consumer: the key is the name folded to lower case, so `My Script` and `my script` group together. */
export function consumerKeyFor(name: string): string {
  return `proxy:${name.toLowerCase()}`;
}

export class CallerIdentityReader {
  private readonly warnedSources = new Set<string>();

  constructor(private readonly log: ProxyLog) {}

  read(headers: CallerHeaders): CallerIdentity {
    const name = (headers.name !== undefined ? cleanText(headers.name) : '') || shortClientName(headers.userAgent);
    return { source: this.source(headers.source), consumer: { key: consumerKeyFor(name), name } };
  }

  private source(raw: string | undefined): Source {
    if (raw === undefined) return 'chat';
    const value = raw.trim().toLowerCase();
    if (isSource(value)) return value;
    const shown = cleanText(raw).slice(0, 40);
    if (!this.warnedSources.has(shown) && this.warnedSources.size < MAX_REMEMBERED_BAD_SOURCES) {
      this.warnedSources.add(shown);
      this.log('warn', `Recording proxy: x-claude-usage-source "${shown}" is not chat, agent or memory; recording as chat.`);
    }
    return 'chat';
  }
}
