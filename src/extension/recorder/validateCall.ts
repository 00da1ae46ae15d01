/**
 * Checks a call offered to the recorder (by a collector, or by another extension through the public API, where it
 * may be anything) and returns a clean copy holding only the fields we store. Every problem gets a sentence naming
 * the field; a call with problems is rejected and the rest of its batch is stored.
 */
import { SOURCES, isSource, type CallInput, type TokenCounts } from '../../shared/callRecord';

export const MAX_KEY_LENGTH = 512;
export const MAX_NAME_LENGTH = 200;
export const MAX_LABEL_LENGTH = 100;
export const MAX_PATH_LENGTH = 4096;
/** The range a JavaScript Date can hold. */
const MAX_ABS_TS = 8.64e15;

export type Validation = { ok: true; call: CallInput } | { ok: false; key: string | null; message: string };

const TOKEN_FIELDS: readonly (keyof TokenCounts)[] = ['input', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead', 'output'];

export function validateCall(value: unknown): Validation {
  return validate(value, false);
}

/**
 * validateCall for a collector's own call: an object it built itself with CallInput's fields and nothing else (no
 * getters, no other fields). It is checked the same way, but the clean call is that same object, normalised in place,
 * not a copy: a large import validates a couple of hundred thousand calls, and their copies were a fifth of what the
 * store's thread allocated while recording.
 */
export function validateOwnCall(call: CallInput): Validation {
  return validate(call, true);
}

function validate(value: unknown, inPlace: boolean): Validation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, key: null, message: `a call must be an object (got ${describe(value)})` };
  }
  const input = value as Record<string, unknown>;
  const problems: string[] = [];
  const key = requiredString(input.key, 'key', MAX_KEY_LENGTH, problems);
  const ts = input.ts;
  if (typeof ts !== 'number' || !Number.isFinite(ts)) {
    problems.push(`ts must be a finite number of UTC milliseconds (got ${describe(ts)})`);
  } else if (!Number.isInteger(ts)) {
    problems.push(`ts must be a whole number of milliseconds (got ${ts})`);
  } else if (Math.abs(ts) > MAX_ABS_TS) {
    problems.push(`ts is outside the range of dates (got ${ts})`);
  }
  if (!isSource(input.source)) {
    problems.push(`source must be one of ${SOURCES.join(', ')} (got ${describe(input.source)})`);
  }
  const consumer = readConsumer(input.consumer, problems, inPlace);
  const model = requiredString(input.model, 'model', MAX_LABEL_LENGTH, problems);
  const tokens = readTokens(input.tokens, problems, inPlace);
  const webSearchRequests = optionalCount(input.webSearchRequests, 'webSearchRequests', problems);
  const webFetchRequests = optionalCount(input.webFetchRequests, 'webFetchRequests', problems);
  const serviceTier = optionalString(input.serviceTier, 'serviceTier', MAX_LABEL_LENGTH, problems);
  const speed = optionalString(input.speed, 'speed', MAX_LABEL_LENGTH, problems);
  const inferenceGeo = optionalString(input.inferenceGeo, 'inferenceGeo', MAX_LABEL_LENGTH, problems);
  const requestId = optionalString(input.requestId, 'requestId', MAX_KEY_LENGTH, problems);
  const project = optionalString(input.project, 'project', MAX_PATH_LENGTH, problems);
  const collector = requiredString(input.collector, 'collector', MAX_LABEL_LENGTH, problems);
  let durationMs: number | null = null;
  if (input.durationMs !== undefined && input.durationMs !== null) {
    const d = input.durationMs;
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) {
      problems.push(`durationMs must be a non-negative number of milliseconds or null (got ${describe(d)})`);
    } else {
      durationMs = Math.round(d);
    }
  }
  let sidechain = false;
  if (input.sidechain !== undefined) {
    if (typeof input.sidechain !== 'boolean') problems.push(`sidechain must be true or false (got ${describe(input.sidechain)})`);
    else sidechain = input.sidechain;
  }

  if (problems.length > 0 || !consumer || !tokens) {
    const rejectedKey = typeof input.key === 'string' && input.key ? input.key.slice(0, MAX_KEY_LENGTH) : null;
    return { ok: false, key: rejectedKey, message: problems.join('; ') };
  }
  if (inPlace) {
    const call = value as CallInput;
    call.consumer = consumer;
    call.tokens = tokens;
    call.durationMs = durationMs;
    call.sidechain = sidechain;
    // What validateCall leaves out ('' or null) goes (a field that is there but undefined may stay: it reads the same).
    if (requestId === undefined && call.requestId !== undefined) delete call.requestId;
    if (webSearchRequests === undefined && call.webSearchRequests !== undefined) delete call.webSearchRequests;
    if (webFetchRequests === undefined && call.webFetchRequests !== undefined) delete call.webFetchRequests;
    if (serviceTier === undefined && call.serviceTier !== undefined) delete call.serviceTier;
    if (speed === undefined && call.speed !== undefined) delete call.speed;
    if (inferenceGeo === undefined && call.inferenceGeo !== undefined) delete call.inferenceGeo;
    if (project === undefined && call.project !== undefined) delete call.project;
    return { ok: true, call };
  }
  const call: CallInput = {
    key,
    ts: ts as number,
    source: input.source as CallInput['source'],
    consumer,
    model,
    tokens,
    durationMs,
    collector,
    sidechain,
  };
  if (requestId !== undefined) call.requestId = requestId;
  if (webSearchRequests !== undefined) call.webSearchRequests = webSearchRequests;
  if (webFetchRequests !== undefined) call.webFetchRequests = webFetchRequests;
  if (serviceTier !== undefined) call.serviceTier = serviceTier;
  if (speed !== undefined) call.speed = speed;
  if (inferenceGeo !== undefined) call.inferenceGeo = inferenceGeo;
  if (project !== undefined) call.project = project;
  return { ok: true, call };
}

function readConsumer(value: unknown, problems: string[], inPlace: boolean): CallInput['consumer'] | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`consumer must be an object { key, name } (got ${describe(value)})`);
    return null;
  }
  const consumer = value as Record<string, unknown>;
  const key = consumer.key;
  if (typeof key !== 'string' || key.trim() === '') {
    problems.push(`consumer.key must be a non-empty string (got ${describe(key)})`);
    return null;
  }
  if (key.length > MAX_KEY_LENGTH) {
    problems.push(`consumer.key must be at most ${MAX_KEY_LENGTH} characters (got ${key.length})`);
    return null;
  }
  if (consumer.name !== undefined && typeof consumer.name !== 'string') {
    problems.push(`consumer.name must be a string (got ${describe(consumer.name)})`);
    return null;
  }
  const name = cleanName(typeof consumer.name === 'string' ? consumer.name : '', key);
  if (!inPlace) return { key, name };
  const own = value as CallInput['consumer'];
  own.name = name;
  return own;
}

const NEEDS_CLEANING = /^\s|\s$|\s\s|[^\S ]/;

/** The last name cleaned, for what it was cleaned and the result: a consumer's calls come together, each with its name. */
const lastCleaned = { name: '', fallback: '', clean: '' };

/** Display names are short single lines; an empty one falls back to the key so the row is never nameless. */
export function cleanName(name: string, fallback: string): string {
  if (name === lastCleaned.name && fallback === lastCleaned.fallback) return lastCleaned.clean;
  const oneLine = NEEDS_CLEANING.test(name) ? name.replace(/\s+/g, ' ').trim() : name;
  const chosen = oneLine || fallback;
  const clean = chosen.length > MAX_NAME_LENGTH ? `${chosen.slice(0, MAX_NAME_LENGTH - 1)}…` : chosen;
  lastCleaned.name = name;
  lastCleaned.fallback = fallback;
  lastCleaned.clean = clean;
  return clean;
}

function readTokens(value: unknown, problems: string[], inPlace: boolean): TokenCounts | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`tokens must be an object with ${TOKEN_FIELDS.join(', ')} (got ${describe(value)})`);
    return null;
  }
  const tokens = value as Record<string, unknown>;
  // Each field read by name (see requiredString), in TOKEN_FIELDS order.
  let ok = tokenCount(tokens.input, 'input', problems);
  ok = tokenCount(tokens.cacheWrite5m, 'cacheWrite5m', problems) && ok;
  ok = tokenCount(tokens.cacheWrite1h, 'cacheWrite1h', problems) && ok;
  ok = tokenCount(tokens.cacheRead, 'cacheRead', problems) && ok;
  ok = tokenCount(tokens.output, 'output', problems) && ok;
  if (!ok) return null;
  if (inPlace) return value as TokenCounts;
  // One literal (not fields added one by one): every stored call passes here.
  return {
    input: tokens.input as number,
    cacheWrite5m: tokens.cacheWrite5m as number,
    cacheWrite1h: tokens.cacheWrite1h as number,
    cacheRead: tokens.cacheRead as number,
    output: tokens.output as number,
  };
}

function tokenCount(n: unknown, field: keyof TokenCounts, problems: string[]): boolean {
  if (isCount(n)) return true;
  problems.push(`tokens.${field} must be a non-negative integer (got ${describe(n)})`);
  return false;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// The helpers take the field's value, read by name where they are called: a read by a variable name inside a helper
// shared by every field saw every name, and V8 made it a generic (megamorphic) lookup for every field of every call.
function requiredString(value: unknown, field: string, maxLength: number, problems: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${field} must be a non-empty string (got ${describe(value)})`);
    return '';
  }
  if (value.length > maxLength) {
    problems.push(`${field} must be at most ${maxLength} characters (got ${value.length})`);
    return '';
  }
  return value;
}

function optionalString(value: unknown, field: string, maxLength: number, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    problems.push(`${field} must be a string when given (got ${describe(value)})`);
    return undefined;
  }
  if (value.length > maxLength) {
    problems.push(`${field} must be at most ${maxLength} characters (got ${value.length})`);
    return undefined;
  }
  return value;
}

function optionalCount(value: unknown, field: string, problems: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isCount(value)) {
    problems.push(`${field} must be a non-negative integer when given (got ${describe(value)})`);
    return undefined;
  }
  return value;
}

/** A short, safe description of a bad value for a message (never the whole value: it could be large or private). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
