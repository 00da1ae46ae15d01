/**
 * Live updates without recursive-watch CPU storms: one non-recursive fs.watch per folder that can change — each
 * projects root (new project folders), each project folder (conversations appended or created), and the folders
 * (session, subagents) of conversations active in the last two days — capped in number. A notification marks its
 * project folder dirty; dirty folders are scanned `debounceMs` after the first notification (not after the last, so a
 * conversation streaming continuously still shows up promptly). A slow poll is the safety net for everything a
 * watcher misses (network drives, capped or failed watchers, folders that appear later).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ScanLog } from './scanLog';
import { sessionKey, type ListedDir } from './transcriptFiles';

export const MAX_WATCHERS = 1000;

export interface WatchTarget {
  dir: string;
  /** The project folder to re-scan when it changes; undefined: a whole projects root (or its config dir). */
  projectDir?: string;
}

export interface LiveWatcherEvents {
  /** Project folders with changes; `full` when a projects root changed (new or removed project folders). */
  onChanged(projectDirs: Set<string>, full: boolean): void;
  onPoll(): void;
}

export class LiveWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly dirty = new Set<string>();
  private dirtyFull = false;
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly events: LiveWatcherEvents,
    private readonly log: ScanLog,
    private readonly debounceMs: number,
    private readonly pollMs: number,
  ) {}

  start(): void {
    if (this.poll || this.stopped) return;
    this.poll = setInterval(() => this.events.onPoll(), this.pollMs);
    this.poll.unref();
  }

  /**
   * Watches these targets (in priority order) up to the cap. With `exclusive`, watchers not among them are closed
   * (after a full scan); otherwise targets are only added (after a scan of a few project folders).
   */
  update(targets: WatchTarget[], exclusive: boolean): void {
    if (this.stopped) return;
    const wanted = new Set<string>();
    for (const t of targets) {
      if (wanted.size >= MAX_WATCHERS && !this.watchers.has(t.dir)) continue;
      wanted.add(t.dir);
      if (!this.watchers.has(t.dir)) this.watch(t);
    }
    if (!exclusive) return;
    for (const [dir, w] of this.watchers) {
      if (!wanted.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
  }

  get watching(): number {
    return this.watchers.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.debounce) clearTimeout(this.debounce);
    if (this.poll) clearInterval(this.poll);
    this.debounce = undefined;
    this.poll = undefined;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private watch(t: WatchTarget): void {
    if (this.watchers.size >= MAX_WATCHERS) return;
    let w: fs.FSWatcher;
    try {
      w = fs.watch(t.dir, { persistent: false }, () => this.changed(t));
    } catch (e: unknown) {
      // ENOSPC / EMFILE (watch limits) or a folder that just vanished: the poll still covers it.
      const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : String(e);
      if (code !== 'ENOENT') {
        this.log.once(`watch:${t.dir}`, 'info', `Live updates for ${t.dir} fall back to polling (${code}).`);
      }
      return;
    }
    w.on('error', () => {
      w.close();
      if (this.watchers.get(t.dir) === w) this.watchers.delete(t.dir);
      // The folder is gone or unwatchable; a later scan re-adds it if it comes back.
      this.changed(t);
    });
    this.watchers.set(t.dir, w);
  }

  private changed(t: WatchTarget): void {
    if (this.stopped) return;
    if (t.projectDir === undefined) this.dirtyFull = true;
    else this.dirty.add(t.projectDir);
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      const dirs = new Set(this.dirty);
      const full = this.dirtyFull;
      this.dirty.clear();
      this.dirtyFull = false;
      this.events.onChanged(dirs, full);
    }, this.debounceMs);
    this.debounce.unref();
  }
}

/**
 * What to watch after a scan, most important first: roots (or, for a root that does not exist yet, its config dir),
 * project folders, then the folders of recently active conversations.
 */
export function watchTargets(
  configDirs: readonly string[],
  roots: readonly string[],
  dirs: readonly ListedDir[],
  activeSessions: ReadonlySet<string>,
): WatchTarget[] {
  const out: WatchTarget[] = [];
  for (const dir of configDirs) {
    const root = roots.find((r) => path.dirname(r) === dir || r === dir);
    out.push({ dir: root ?? dir });
  }
  for (const d of dirs) if (d.role === 'project') out.push({ dir: d.path, projectDir: d.path });
  for (const d of dirs) {
    if ((d.role === 'session' || d.role === 'subagents') && d.projectDir && d.sessionId !== undefined && activeSessions.has(sessionKey(d.projectDir, d.sessionId))) {
      out.push({ dir: d.path, projectDir: d.projectDir });
    }
  }
  return out;
}
