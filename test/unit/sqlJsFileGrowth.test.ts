// The bundles' sql.js grows its in-memory database file by doubling (scripts/sqljs-file-growth.mjs): the build's
// rewrite must find exactly the one expression it changes, refuse anything else, and leave an engine that stores and
// reads back a database of several megabytes exactly as the unchanged one does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SqlJsStatic } from 'sql.js';
import { patchSqlJsFileGrowth } from '../../scripts/sqljs-file-growth.mjs';
import { loadSqlJs } from '../../src/extension/store/sqlJs';

const require = createRequire(__filename);
const SQL_JS = require.resolve('sql.js/dist/sql-wasm.js');
const ORIGINAL = fs.readFileSync(SQL_JS, 'utf8');

async function loadPatched(): Promise<SqlJsStatic> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cu-sqljs-'));
  try {
    const file = path.join(dir, 'sql-wasm.js');
    fs.writeFileSync(file, patchSqlJsFileGrowth(ORIGINAL, SQL_JS));
    const init = require(file) as (options: { wasmBinary: ArrayBuffer }) => Promise<SqlJsStatic>;
    const wasm = fs.readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'));
    return await init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('sql.js file growth patch', () => {
  it('rewrites the one growth expression of the installed sql.js to doubling', () => {
    const patched = patchSqlJsFileGrowth(ORIGINAL);
    assert.doesNotMatch(patched, /1048576\?2:1\.125/);
    assert.equal(patched.length, ORIGINAL.length - '(m<1048576?2:1.125)'.length + '2'.length);
    assert.match(patched, /Math\.max\(\w+,\w+\*2>>>0\)/);
  });

  it('refuses a sql.js without the expression, or with it twice', () => {
    assert.throws(() => patchSqlJsFileGrowth('var a=1;', 'x.js'), /x\.js: expected one in-memory file growth expression .* found 0/);
    const twice = 'g=Math.max(g,m*(m<1048576?2:1.125)>>>0);h=Math.max(h,q*(q<1048576?2:1.125)>>>0)';
    assert.throws(() => patchSqlJsFileGrowth(twice), /found 2/);
    assert.equal(patchSqlJsFileGrowth('g=Math.max(g,_*(_<1048576?2:1.125)>>>0)'), 'g=Math.max(g,_*2>>>0)');
  });

  it('leaves an engine that writes a multi-megabyte database the unchanged engine reads back exactly', async () => {
    const patched = await loadPatched();
    const db = new patched.Database();
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL); CREATE INDEX t_body ON t(body)');
    const rows = 12_000;
    for (let i = 0; i < rows; i += 1_000) {
      db.exec('BEGIN');
      const stmt = db.prepare('INSERT INTO t (body) VALUES (?)');
      for (let j = i; j < i + 1_000; j++) stmt.run([`${j}:`.padEnd(400, String.fromCharCode(97 + (j % 26)))]);
      stmt.free();
      db.exec('COMMIT');
    }
    const bytes = db.export();
    db.close();
    assert.ok(bytes.length > 8 * 1024 * 1024, `several megabytes (${bytes.length} bytes)`);

    const plain = await loadSqlJs();
    const copy = new plain.Database(bytes);
    try {
      assert.deepEqual(copy.exec('PRAGMA integrity_check')[0].values, [['ok']]);
      assert.deepEqual(copy.exec('SELECT COUNT(*), SUM(LENGTH(body)) FROM t')[0].values, [[rows, rows * 400]]);
      assert.deepEqual(copy.exec('SELECT body FROM t WHERE id = 7777')[0].values, [['7776:'.padEnd(400, String.fromCharCode(97 + (7776 % 26)))]]);
    } finally {
      copy.close();
    }
  });
});
