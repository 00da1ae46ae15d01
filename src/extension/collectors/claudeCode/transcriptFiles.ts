/**
 * Lists transcript files under a config dir's `projects/` folder:
 *   projects/<projectKey>/<sessionId>.jsonl                                   a conversation
 *   projects/<projectKey>/<sessionId>/subagents/[<subdir>/]agent-<id>.jsonl   a subagent, beside agent-<id>.meta.json
 *   projects/<projectKey>/<sessionId>/custom-title.json                       a conversation's custom title
 * Synchronous directory reads: this runs in the store's worker, where a few thousand readdir calls are faster than the
 * same number of promises, and the caller yields between files. Folders are read through a DirReader, so a re-scan
 * can reuse listings of folders that did not change (dirCache.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { readSorted, type DirEntryInfo } from './dirCache';

/** Reads a folder's entries sorted by name; throws readdir's errors. */
export type DirReader = (dir: string) => DirEntryInfo[];

export interface TranscriptFile {
  path: string;
  kind: 'session' | 'subagent';
  /** The conversation the file belongs to (for a subagent file: its parent's). */
  sessionId: string;
  /** Subagent files only. */
  agentId?: string;
  /** `agent-<id>.meta.json` beside a subagent file, when present. */
  metaPath?: string;
  /** `<sessionId>/custom-title.json` of a conversation, when present. */
  sidecarPath?: string;
  /** The folder directly under `projects/` holding this file. */
  projectDir: string;
}

export type DirRole = 'root' | 'project' | 'session' | 'subagents';

export interface ListedDir {
  path: string;
  role: DirRole;
  projectDir?: string;
  sessionId?: string;
}

export interface Listing {
  files: TranscriptFile[];
  dirs: ListedDir[];
  /** Directories that exist but could not be read, with the reason. Files under them may still exist. */
  unreadable: Array<{ path: string; reason: string }>;
  /** Subagent meta files by session id, then agent id, for naming copies wrapped in the parent transcript. */
  agentMeta: Map<string, Map<string, string>>;
}

/** Session-folder subfolders that hold no transcripts but can hold many files. */
const SKIP_DIRS = new Set(['tool-results', 'file-history', 'node_modules', '.git']);
const MAX_NESTING = 3;

/** Names a conversation across its files and folders (the scan's active sessions, the watcher's targets). */
export function sessionKey(projectDir: string, sessionId: string): string {
  return `${projectDir}\0${sessionId}`;
}

const sessionKeys = new WeakMap<TranscriptFile, string>();

/** sessionKey of a file's conversation, made once per file record (re-scans reuse the records). */
export function sessionKeyOf(f: TranscriptFile): string {
  let key = sessionKeys.get(f);
  if (key === undefined) {
    key = sessionKey(f.projectDir, f.sessionId);
    sessionKeys.set(f, key);
  }
  return key;
}

export function emptyListing(): Listing {
  return { files: [], dirs: [], unreadable: [], agentMeta: new Map() };
}

/** The `projects` folder of a config dir; a config dir that is itself a `projects` folder is accepted as is. */
export function projectsRootOf(configDir: string): string {
  const inner = path.join(configDir, 'projects');
  if (path.basename(configDir) === 'projects' && !isDirectory(inner)) return normalizedDir(configDir);
  return inner;
}

/** The projects roots of these config dirs, deduplicated by real path (~/.config/claude is often a link to ~/.claude). */
export function projectsRoots(configDirs: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of configDirs) {
    const root = projectsRootOf(dir);
    let real = root;
    try {
      real = fs.realpathSync(root);
    } catch {
      // Missing: listed as empty.
    }
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(root);
  }
  return out;
}

/**
 * What a folder's entries say (its files, subfolders and listing record), worked out once per entries array: a
 * DirCache hands back the same array while the folder is unchanged, so a re-scan reuses these objects instead of
 * building every path and file record again (with everything else a re-scan keeps until its end, they outlived the
 * young generation and were promoted, ~4 MB a re-scan). A folder holding a link is worked out every time: where a
 * link points can change while its folder does not.
 */
const derived = new WeakMap<readonly DirEntryInfo[], unknown>();

function fromEntries<T>(entries: readonly DirEntryInfo[], make: () => T): T {
  if (entries.some((e) => e.isSymbolicLink)) return make();
  let d = derived.get(entries) as T | undefined;
  if (d === undefined) {
    d = make();
    derived.set(entries, d);
  }
  return d;
}

/**
 * The project folders of a projects root, in listing order (the root itself goes into the listing; each folder is
 * then listed with listProjectDir). A missing root is not an error: it simply has no folders.
 */
export function projectDirsOf(rootPath: string, into: Listing, read: DirReader = readSorted): string[] {
  const root = normalizedDir(rootPath);
  const entries = readDir(root, into, read);
  if (!entries) return [];
  const found = fromEntries(entries, () => ({
    record: { path: root, role: 'root' } satisfies ListedDir,
    projectDirs: entries.filter((e) => isDir(e, root)).map((e) => child(root, e.name)),
  }));
  into.dirs.push(found.record);
  return [...found.projectDirs];
}

/** Lists one project folder (what a file-system notification for it needs re-checked). */
export function listProjectDir(projectDirPath: string, into: Listing = emptyListing(), read: DirReader = readSorted): Listing {
  const projectDir = normalizedDir(projectDirPath);
  const entries = readDir(projectDir, into, read);
  if (!entries) return into;
  const found = fromEntries(entries, () => {
    const sessions: TranscriptFile[] = [];
    const sessionDirs: Array<{ path: string; sessionId: string }> = [];
    for (const e of entries) {
      const full = child(projectDir, e.name);
      if (e.name.endsWith('.jsonl') && isFile(e, projectDir)) {
        sessions.push({ path: full, kind: 'session', sessionId: e.name.slice(0, -'.jsonl'.length), projectDir });
      } else if (!SKIP_DIRS.has(e.name) && isDir(e, projectDir)) {
        sessionDirs.push({ path: full, sessionId: e.name });
      }
    }
    return { record: { path: projectDir, role: 'project', projectDir } satisfies ListedDir, sessions, sessionDirs };
  });
  into.dirs.push(found.record);
  let sidecars: Map<string, string> | undefined;
  for (const d of found.sessionDirs) {
    const sidecar = listSessionDir(d.path, d.sessionId, projectDir, into, read);
    if (sidecar) (sidecars ??= new Map()).set(d.sessionId, sidecar);
  }
  // Subagent files (added by listSessionDir above) come before their parents: when a parent's wrapped copy of a
  // subagent message ties with the subagent file's own copy, the subagent file's copy is the one kept.
  for (const s of found.sessions) {
    const sidecarPath = sidecars?.get(s.sessionId);
    into.files.push(sidecarPath ? withSidecar(s, sidecarPath) : s);
  }
  return into;
}

const withSidecars = new WeakMap<TranscriptFile, TranscriptFile>();

/** The conversation's file record with its custom-title sidecar (the same object while both stay as they are). */
function withSidecar(session: TranscriptFile, sidecarPath: string): TranscriptFile {
  let file = withSidecars.get(session);
  if (file?.sidecarPath !== sidecarPath) {
    file = { ...session, sidecarPath };
    withSidecars.set(session, file);
  }
  return file;
}

/** Returns the custom-title sidecar path when the session folder has one. */
function listSessionDir(dir: string, sessionId: string, projectDir: string, into: Listing, read: DirReader): string | undefined {
  const entries = readDir(dir, into, read);
  if (!entries) return undefined;
  const found = fromEntries(entries, () => {
    let sidecar: string | undefined;
    const folders: Array<{ path: string; subagents: boolean }> = [];
    for (const e of entries) {
      if (e.name === 'custom-title.json' && isFile(e, dir)) sidecar = child(dir, e.name);
      else if (e.name === 'subagents' && isDir(e, dir)) folders.push({ path: child(dir, e.name), subagents: true });
      else if (!SKIP_DIRS.has(e.name) && isDir(e, dir)) folders.push({ path: child(dir, e.name), subagents: false });
    }
    return { record: { path: dir, role: 'session', projectDir, sessionId } satisfies ListedDir, sidecar, folders };
  });
  into.dirs.push(found.record);
  for (const f of found.folders) {
    if (f.subagents) listSubagents(f.path, sessionId, projectDir, into, 0, read);
    else listOtherTranscripts(f.path, sessionId, projectDir, into, 1, read);
  }
  return found.sidecar;
}

function listSubagents(dir: string, sessionId: string, projectDir: string, into: Listing, depth: number, read: DirReader): void {
  const entries = readDir(dir, into, read);
  if (!entries) return;
  const found = fromEntries(entries, () => {
    const metas = new Set<string>();
    const agents: Array<{ name: string; agentId: string }> = [];
    const nested: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('agent-') && e.name.endsWith('.meta.json')) metas.add(e.name);
      else if (e.name.startsWith('agent-') && e.name.endsWith('.jsonl') && isFile(e, dir)) {
        agents.push({ name: e.name, agentId: e.name.slice('agent-'.length, -'.jsonl'.length) });
      } else if (depth < MAX_NESTING && isDir(e, dir)) nested.push(child(dir, e.name));
    }
    const files: TranscriptFile[] = agents.map((a) => {
      const metaName = `agent-${a.agentId}.meta.json`;
      const metaPath = metas.has(metaName) ? child(dir, metaName) : undefined;
      return { path: child(dir, a.name), kind: 'subagent', sessionId, agentId: a.agentId, metaPath, projectDir };
    });
    return { record: { path: dir, role: 'subagents', projectDir, sessionId } satisfies ListedDir, nested, files };
  });
  into.dirs.push(found.record);
  for (const n of found.nested) listSubagents(n, sessionId, projectDir, into, depth + 1, read);
  for (const f of found.files) {
    into.files.push(f);
    if (f.metaPath && f.agentId) {
      let bySession = into.agentMeta.get(sessionId);
      if (!bySession) into.agentMeta.set(sessionId, (bySession = new Map()));
      bySession.set(f.agentId, f.metaPath);
    }
  }
}

/** Any other `*.jsonl` inside a session folder is read as part of that conversation (its sidechain lines as agents). */
function listOtherTranscripts(dir: string, sessionId: string, projectDir: string, into: Listing, depth: number, read: DirReader): void {
  const entries = readDir(dir, into, read);
  if (!entries) return;
  for (const e of entries) {
    const full = child(dir, e.name);
    if (e.name.endsWith('.jsonl') && isFile(e, dir)) into.files.push({ path: full, kind: 'session', sessionId, projectDir });
    else if (depth < MAX_NESTING && !SKIP_DIRS.has(e.name) && isDir(e, dir)) {
      listOtherTranscripts(full, sessionId, projectDir, into, depth + 1, read);
    }
  }
}

/** `path.join` for a normalised folder and an entry name from readdir (which holds no separator), without its cost. */
function child(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** Paths are file-state keys: the same file must always get the same spelling. */
function normalizedDir(dir: string): string {
  const n = path.normalize(dir);
  return n.length > 1 && n.endsWith(path.sep) && path.parse(n).root !== n ? n.slice(0, -1) : n;
}

function readDir(dir: string, into: Listing, read: DirReader): DirEntryInfo[] | undefined {
  try {
    return read(dir);
  } catch (e: unknown) {
    const code = errorCode(e);
    // A missing folder (not created yet, or deleted while listing) simply holds no transcripts.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    into.unreadable.push({ path: dir, reason: code ?? (e instanceof Error ? e.message : String(e)) });
    return undefined;
  }
}

function isDir(e: DirEntryInfo, parent: string): boolean {
  if (e.isDirectory) return true;
  return e.isSymbolicLink && isDirectory(child(parent, e.name));
}

function isFile(e: DirEntryInfo, parent: string): boolean {
  if (e.isFile) return true;
  if (!e.isSymbolicLink) return false;
  try {
    return fs.statSync(child(parent, e.name)).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Of the files a full scan's stored read states name, those that are gone: transcripts under a project root that
 * was listed, not in the listing, and not under a folder that could not be read (its files may still exist).
 */
export function vanishedFiles(listing: Listing, roots: readonly string[], storedPaths: Iterable<string>): string[] {
  const listedRoots = roots.filter((r) => listing.dirs.some((d) => d.path === r && d.role === 'root'));
  if (listedRoots.length === 0) return [];
  const seen = new Set(listing.files.map((f) => f.path));
  const unreadable = listing.unreadable.map((u) => u.path + path.sep);
  const gone: string[] = [];
  for (const p of storedPaths) {
    if (seen.has(p) || !p.endsWith('.jsonl')) continue;
    if (!listedRoots.some((r) => p.startsWith(r + path.sep))) continue;
    if (unreadable.some((u) => p.startsWith(u))) continue;
    gone.push(p);
  }
  return gone;
}

export function errorCode(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
