/**
 * A new database, as a new user's first start creates it. Running every migration for it means a few dozen CREATE,
 * ALTER and DROP statements, each making SQLite read its whole schema again: ~70 ms on the store's thread, and enough
 * SQL parsing that the engine then spends a few hundred milliseconds of a background thread optimising SQLite's parser
 * and planner while the first import runs. The build runs the migrations once and ships the result beside the bundle
 * (NEW_DATABASE_FILE); a new database starts from those bytes and is migrated from the version they hold (normally
 * nothing is left to apply). Without that file (tests run from sources), or when it cannot be used, the migrations
 * run as before, with the same result.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { Db } from './db';
import { migrate } from './schema';

export const NEW_DATABASE_FILE = 'newDatabase.sqlite';

/** The built image beside the bundle; null when there is none (read when needed: once per new database). */
function shippedImage(): Uint8Array | null {
  try {
    return readFileSync(path.join(__dirname, NEW_DATABASE_FILE));
  } catch {
    return null;
  }
}

/**
 * An empty database at the current schema: from `image` (default: the one shipped beside the bundle) when it is a
 * database this version can migrate, else by running every migration.
 */
export function emptyDatabase(SQL: SqlJsStatic, image: Uint8Array | null = shippedImage()): Db {
  if (image) {
    let db: Db | undefined;
    try {
      db = new Db(new SQL.Database(image));
      migrate(db);
      return db;
    } catch {
      // Not a usable image (truncated, or from a newer schema): the migrations give the same database.
      db?.close();
    }
  }
  const db = new Db(new SQL.Database());
  migrate(db);
  return db;
}

/** The bytes of a database built by the migrations alone: what the build ships as NEW_DATABASE_FILE. */
export function newDatabaseImage(SQL: SqlJsStatic): Uint8Array {
  const db = emptyDatabase(SQL, null);
  try {
    return db.export();
  } finally {
    db.close();
  }
}
