/** The `meta` table: small values saved atomically with the rows (the price-table version, a journal position, …). */
import type { Db } from './db';

export function readMetaValue(db: Db, key: string): string | undefined {
  const row = db.first('SELECT value FROM meta WHERE key = ?', [key]);
  return row ? String(row[0]) : undefined;
}

export function writeMetaValue(db: Db, key: string, value: string): void {
  db.run('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}
