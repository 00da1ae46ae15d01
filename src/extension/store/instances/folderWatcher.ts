/**
 * Notices changes in a few storage sub-folders (the lock folder, the journal folder): `fs.watch` on each folder
 * (not recursive — they are flat and tiny, so no watch storms), debounced, plus a slow poll as the safety net for
 * file systems where notifications are missing (network drives, some containers) or the watch limit is reached.
 */
import { watch, type FSWatcher } from 'node:fs';
import { errorMessage } from './fsUtil';

export interface FolderWatchOptions {
  /** Quiet time after the last notification before `onChange` runs. Default 30 ms. */
  debounceMs?: number;
  /** Safety-net interval; `onChange` runs at least this often. Default 2000 ms. 0 turns polling off. */
  pollMs?: number;
  onChange(): void;
  log?(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface FolderWatch {
  /** Runs `onChange` soon (debounced), as if a notification had arrived. */
  poke(): void;
  dispose(): void;
}

export function watchFolders(dirs: readonly string[], options: FolderWatchOptions): FolderWatch {
  const debounceMs = options.debounceMs ?? 30;
  const pollMs = options.pollMs ?? 2000;
  const watchers: FSWatcher[] = [];
  let debounce: NodeJS.Timeout | undefined;
  let disposed = false;

  const fire = (): void => {
    if (disposed) return;
    try {
      options.onChange();
    } catch (e: unknown) {
      options.log?.('error', `Storage change handler failed: ${errorMessage(e)}`);
    }
  };
  const poke = (): void => {
    if (disposed) return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(fire, debounceMs);
    debounce.unref?.();
  };

  const fallback = pollMs > 0 ? `polling every ${pollMs} ms instead` : 'relying on regular checks instead';
  for (const dir of dirs) {
    try {
      const w = watch(dir, { persistent: false }, poke);
      w.on('error', (e: unknown) => {
        options.log?.('warn', `Stopped watching ${dir} (${errorMessage(e)}); ${fallback}.`);
        w.close();
      });
      watchers.push(w);
    } catch (e: unknown) {
      options.log?.('warn', `Cannot watch ${dir} (${errorMessage(e)}); ${fallback}.`);
    }
  }
  const poll = pollMs > 0 ? setInterval(fire, pollMs) : undefined;
  poll?.unref?.();

  return {
    poke,
    dispose(): void {
      disposed = true;
      if (debounce) clearTimeout(debounce);
      if (poll) clearInterval(poll);
      for (const w of watchers) w.close();
    },
  };
}
