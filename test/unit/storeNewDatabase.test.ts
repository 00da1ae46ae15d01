// A new database starts from the image the build ships (scripts/new-database.mjs) instead of running every migration:
// whatever image it is given, it ends up exactly as the migrations make it — a current image as is, an older one
// migrated, an unusable one (truncated, not a database, from a newer schema) ignored. The build writes the image the
// sources make, byte for byte.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { SqlJsStatic } from 'sql.js';
import { buildNewDatabase } from '../../scripts/new-database.mjs';
import { Db } from '../../src/extension/store/db';
import { emptyDatabase, NEW_DATABASE_FILE, newDatabaseImage } from '../../src/extension/store/newDatabase';
import { MIGRATIONS, SCHEMA_VERSION, schemaVersion } from '../../src/extension/store/schema';
import { loadSqlJs } from '../../src/extension/store/sqlJs';
import { WASM_PATH, withTempDir } from './storeFixtures';

let SQL: SqlJsStatic;
before(async () => {
  SQL = await loadSqlJs(WASM_PATH);
});

/** Everything a migration leaves: the schema's objects and their SQL, the version, the meta rows. */
function shape(db: Db): string {
  const objects = db.all("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
  return JSON.stringify({ version: schemaVersion(db), objects, meta: db.all('SELECT key, value FROM meta ORDER BY key') });
}

function migrated(): string {
  const db = emptyDatabase(SQL, null);
  try {
    return shape(db);
  } finally {
    db.close();
  }
}

function shapeFrom(image: Uint8Array): string {
  const db = emptyDatabase(SQL, image);
  try {
    // Usable, not just shaped right: a write and a read.
    db.run("INSERT INTO meta (key, value) VALUES ('probe', 'x')");
    assert.equal(db.first("SELECT value FROM meta WHERE key = 'probe'")?.[0], 'x');
    db.run("DELETE FROM meta WHERE key = 'probe'");
    return shape(db);
  } finally {
    db.close();
  }
}

/** A database left at `version` by the first migrations only. */
function imageAt(version: number): Uint8Array {
  const db = new Db(new SQL.Database());
  for (const m of MIGRATIONS.filter((x) => x.version <= version)) {
    m.up(db);
    db.exec(`PRAGMA user_version = ${m.version}`);
  }
  const bytes = db.export();
  db.close();
  return bytes;
}

describe('a new database', () => {
  it('from the image is the database the migrations make', () => {
    const image = newDatabaseImage(SQL);
    assert.equal(new TextDecoder().decode(image.subarray(0, 15)), 'SQLite format 3');
    const expected = migrated();
    assert.equal(JSON.parse(expected).version, SCHEMA_VERSION);
    assert.ok(JSON.parse(expected).objects.length > 5, 'the schema has its tables and indexes');
    assert.equal(shapeFrom(image), expected);
  });

  it('from an image of an older schema is migrated the rest of the way', () => {
    const old = imageAt(1);
    const db = new Db(new SQL.Database(old));
    assert.equal(schemaVersion(db), 1);
    db.close();
    assert.equal(shapeFrom(old), migrated());
  });

  it('ignores an image it cannot use and runs the migrations instead', () => {
    const good = newDatabaseImage(SQL);
    const newer = new Db(new SQL.Database(good));
    newer.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    const fromNewer = newer.export();
    newer.close();
    const unusable = {
      truncated: good.subarray(0, 1000),
      'not a database': new TextEncoder().encode('{"calls": []}\n'.repeat(400)),
      'from a newer schema': fromNewer,
    };
    const expected = migrated();
    for (const [what, image] of Object.entries(unusable)) assert.equal(shapeFrom(image), expected, what);
  });

  it('is built by the build from this checkout, byte for byte what the sources make', async () => {
    await withTempDir(async (outdir) => {
      // The build runs beside the engine it ships.
      fs.copyFileSync(WASM_PATH, path.join(outdir, 'sql-wasm.wasm'));
      await buildNewDatabase(outdir);
      const built = fs.readFileSync(path.join(outdir, NEW_DATABASE_FILE));
      assert.deepEqual(new Uint8Array(built), newDatabaseImage(SQL));
      assert.deepEqual(fs.readdirSync(outdir).sort(), [NEW_DATABASE_FILE, 'sql-wasm.wasm'].sort(), 'the generator it ran is gone');
    });
  });
});
