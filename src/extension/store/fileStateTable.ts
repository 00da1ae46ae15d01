/**
 * The collectors' per-file read state, kept in the same database as the records so a saved file always carries
 * offsets that match its rows. Mirrored in memory: a re-scan asks for every file's state and should cost nothing.
 */
import type { FileStateStore } from '../collectors/collector';
import type { Db } from './db';

export class FileStateTable implements FileStateStore {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly onChange: () => void,
  ) {
    db.each('SELECT path, state FROM file_state', [], (row) => this.cache.set(String(row[0]), String(row[1])));
  }

  get(path: string): string | undefined {
    return this.cache.get(path);
  }

  set(path: string, state: string): void {
    if (this.cache.get(path) === state) return;
    this.db.run('INSERT INTO file_state (path, state) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET state = excluded.state', [
      path,
      state,
    ]);
    this.cache.set(path, state);
    this.onChange();
  }

  delete(path: string): void {
    if (!this.cache.has(path)) return;
    this.db.run('DELETE FROM file_state WHERE path = ?', [path]);
    this.cache.delete(path);
    this.onChange();
  }

  paths(): string[] {
    return [...this.cache.keys()];
  }
}
