/** A V8 .cpuprofile reduced to text: self time by function and by source file, largest first. */
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

function isProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && Array.isArray((value as { nodes?: unknown }).nodes);
}

/** A time window on the profile's clock (µs of the monotonic clock, as `process.hrtime` counts). */
export interface Window {
  fromUs: number;
  toUs: number;
}

export function parseProfile(json: string): CpuProfile {
  const parsed: unknown = JSON.parse(json);
  if (!isProfile(parsed)) throw new Error('not a .cpuprofile');
  return parsed;
}

export function summarizeProfile(json: string | CpuProfile, top: number, window?: Window): string {
  const profile = typeof json === 'string' ? parseProfile(json) : json;
  const selfUs = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    // Each sample's time is the delta to the next one; samples are stamped by adding up the deltas.
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i] ?? 0;
      if (window && (at < window.fromUs || at > window.toUs)) continue;
      const dt = profile.timeDeltas[i + 1] ?? 0;
      selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, dt));
    }
  } else {
    const total = profile.endTime - profile.startTime;
    const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    for (const n of profile.nodes) selfUs.set(n.id, ((n.hitCount ?? 0) / hits) * total);
  }
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const us = selfUs.get(n.id) ?? 0;
    if (us === 0) continue;
    total += us;
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url ? path.basename(url.replace(/^file:\/\//, '')) : '(native)';
    const fn = `${functionName || '(anonymous)'}  ${file}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
  }
  const idle = byFunction.get('(idle)  (native)') ?? 0;
  const lines: string[] = [`Sampled: ${(total / 1000).toFixed(0)} ms (${(idle / 1000).toFixed(0)} ms idle)`, '', 'Self time by function:'];
  const fmt = (us: number): string => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%`;
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${fmt(us)}  ${fn}`);
  lines.push('', 'Self time by file:');
  for (const [file, us] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`${fmt(us)}  ${file}`);
  return lines.join('\n');
}
