/**
 * Small JSON files beside transcripts: a subagent's `agent-<id>.meta.json` and a conversation's
 * `custom-title.json`. Read whole (they are tiny; anything large is not one of them) and narrowed field by field.
 */
import fs from 'node:fs';
import { asObject, shortString } from './narrow';
import { shortName, type AgentMeta } from './names';

const MAX_SIDECAR_BYTES = 64 * 1024;

function readSmallJson(path: string): unknown {
  try {
    const fd = fs.openSync(path, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > MAX_SIDECAR_BYTES) return undefined;
      const buf = Buffer.allocUnsafe(size);
      const n = fs.readSync(fd, buf, 0, size, 0);
      return JSON.parse(buf.toString('utf8', 0, n));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Missing, half-written or not JSON: the name falls back to what the transcript itself says.
    return undefined;
  }
}

export function readAgentMeta(path: string): AgentMeta | undefined {
  const o = asObject(readSmallJson(path));
  if (!o) return undefined;
  const text = (v: unknown): string | undefined => {
    const s = shortString(v, 4000);
    return s === undefined ? undefined : shortName(s);
  };
  return { agentType: text(o.agentType), description: text(o.description), name: text(o.name) };
}

/** The title in `custom-title.json`: a JSON string, or an object with `customTitle` (or `title`). */
export function readCustomTitle(path: string): string | undefined {
  const raw = readSmallJson(path);
  const o = asObject(raw);
  const text = typeof raw === 'string' ? raw : (shortString(o?.customTitle, 4000) ?? shortString(o?.title, 4000));
  return text === undefined ? undefined : shortName(text);
}

/** mtime of a sidecar, or undefined when it is not there. */
export function sidecarMtime(path: string | undefined): number | undefined {
  if (!path) return undefined;
  try {
    return fs.statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}
