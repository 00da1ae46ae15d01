/**
 * What a Messages API response tells us about its call: the message id, model and usage, or why it could not be read.
 * Problems are short sentences without any body content, fit for a log line.
 */
import { type UsageFacts, readAnthropicUsage } from '../anthropicUsage';

export interface ObservedMessage {
  id: string;
  model: string;
  usage: UsageFacts;
}

export type MessageOutcome = { ok: true; message: ObservedMessage } | { ok: false; problem: string };

/** Something that watches a (decoded) response body go by and tells what call it was. */
export interface MessageObserver {
  push(chunk: Uint8Array): void;
  end(): void;
  /** Enough has been seen to record the call even if the stream is cut now. */
  readonly finalUsageSeen: boolean;
  /** Reading has failed for good; feeding more bytes is wasted work. */
  readonly gaveUp: boolean;
  outcome(): MessageOutcome;
}

type Fields = Record<string, unknown>;

export function isFields(v: unknown): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shortString(v: unknown, max: number): string | undefined {
  return typeof v === 'string' && v !== '' && v.length <= max ? v : undefined;
}

/** Reads id, model and usage from a Message object, with `usage` given separately when the stream merged it. */
export function readMessage(message: unknown, usage: unknown): MessageOutcome {
  if (!isFields(message)) return { ok: false, problem: 'the response carried no message object' };
  const id = shortString(message.id, 200);
  if (!id) return { ok: false, problem: 'the message has no id' };
  const model = shortString(message.model, 200);
  if (!model) return { ok: false, problem: `message ${id} has no model` };
  const facts = readAnthropicUsage(usage);
  if (!facts) return { ok: false, problem: `message ${id} has no readable usage` };
  return { ok: true, message: { id, model, usage: facts } };
}

/**
 * `message_delta` usage is cumulative: its fields replace `message_start`'s where present (non-null); nested objects
 * (`server_tool_use`, `cache_creation`) are merged field by field.
 */
export function mergeUsage(start: unknown, delta: unknown): unknown {
  if (!isFields(start)) return delta;
  if (!isFields(delta)) return start;
  const merged: Fields = { ...start };
  for (const [key, value] of Object.entries(delta)) {
    if (value === null || value === undefined) continue;
    const before = merged[key];
    merged[key] = isFields(before) && isFields(value) ? mergeUsage(before, value) : value;
  }
  return merged;
}

/** A JSON text parsed without throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** An API error type such as `overloaded_error`, only when it looks like one (never free text). */
export function errorTypeOf(body: unknown): string {
  const error = isFields(body) ? body.error : undefined;
  const type = isFields(error) ? error.type : undefined;
  return typeof type === 'string' && /^[a-z_]{1,40}$/.test(type) ? type : 'unknown';
}
