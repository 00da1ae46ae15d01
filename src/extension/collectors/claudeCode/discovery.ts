/**
 * Where Claude Code keeps its transcripts. Mirrors Claude Code's own lookup (CLAUDE_CONFIG_DIR, else ~/.claude) plus the
 * ~/.config/claude location a few mid-2025 versions used, so history written by any version is found.
 */
import path from 'node:path';

/**
 * Every config directory to scan: each entry of a comma-separated `CLAUDE_CONFIG_DIR`, else `~/.claude` and
 * `~/.config/claude` (or `$XDG_CONFIG_HOME/claude`); then `extraDirs` (a setting: a synced folder, a WSL path). `~` is
 * expanded, paths are made absolute and duplicates dropped. Directories are not checked for existence: a missing one
 * simply holds no transcripts.
 */
export function discoverClaudeConfigDirs(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
  extraDirs: readonly string[] = [],
): string[] {
  const fromEnv = splitDirList(env.CLAUDE_CONFIG_DIR);
  const defaults: string[] = [];
  if (fromEnv.length === 0) {
    defaults.push(path.join(homeDir, '.claude'), path.join(homeDir, '.config', 'claude'));
    const xdg = env.XDG_CONFIG_HOME?.trim();
    if (xdg) defaults.push(path.join(xdg, 'claude'));
  }
  const all = [...fromEnv, ...defaults, ...extraDirs.flatMap((d) => splitDirList(d))];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of all) {
    const dir = normalizeDir(raw, homeDir);
    if (dir === undefined || seen.has(dir)) continue;
    seen.add(dir);
    out.push(dir);
  }
  return out;
}

function splitDirList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function normalizeDir(raw: string, homeDir: string): string | undefined {
  let dir = raw;
  if (dir === '~') dir = homeDir;
  else if (dir.startsWith('~/') || dir.startsWith('~\\')) dir = path.join(homeDir, dir.slice(2));
  if (dir.includes('\0')) return undefined;
  // resolve() also drops a trailing separator, so "/a/b/" and "/a/b" dedupe.
  return path.resolve(dir);
}
