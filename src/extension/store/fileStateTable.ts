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
    // The state goes in as UTF-8 bytes that SQLite stores as text: sql.js encodes a bound string in a JavaScript loop,
    // which made binding these ~650-character states about half of each upsert (an import writes one per file).
    this.db.run('INSERT INTO file_state (path, state) VALUES (?, CAST(? AS TEXT)) ON CONFLICT (path) DO UPDATE SET state = excluded.state', [
      path,
      Buffer.from(state, 'utf8'),
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
