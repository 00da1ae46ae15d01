// The bundles' sql.js grows its in-memory database file in place (scripts/sqljs-file-growth.mjs): the build's rewrite
// must find exactly the two expressions it changes, refuse anything else, and leave an engine that stores and reads
// back a database of several megabytes exactly as the unchanged one does; the file's bytes grow without a copy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SqlJsStatic } from 'sql.js';
import { GROW_RESERVE_BYTES, growFileBytes, patchSqlJsFileGrowth } from '../../scripts/sqljs-file-growth.mjs';
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
  it('rewrites the growth expression and the copy of the installed sql.js', () => {
    const patched = patchSqlJsFileGrowth(ORIGINAL);
    assert.doesNotMatch(patched, /1048576\?2:1\.125/);
    assert.match(patched, /Math\.max\(\w+,\w+\*2>>>0\)/);
    assert.match(patched, /(\w+)\.(\w+)=__cuGrowFileBytes\(\1\.\2,\1\.\w+,\w+\)/);
    assert.doesNotMatch(patched, /\.subarray\(0,\w+\.\w+\),\w+\.\w+=new Uint8Array\(\w+\)/);
    assert.ok(patched.startsWith(`var GROW_RESERVE_BYTES = ${GROW_RESERVE_BYTES};\nvar __cuGrowFileBytes = function growFileBytes(`), 'the helper comes first');
  });

  it('refuses a sql.js without either expression, or with one twice', () => {
    const growth = 'g=Math.max(g,m*(m<1048576?2:1.125)>>>0)';
    const copy = 'm=a.Ua.subarray(0,a.Wa),a.Ua=new Uint8Array(g),a.Ua.set(m)';
    assert.throws(() => patchSqlJsFileGrowth('var a=1;', 'x.js'), /x\.js: expected one in-memory file growth expression .* found 0/);
    assert.throws(() => patchSqlJsFileGrowth(growth), /expected one in-memory file copy .* found 0/);
    assert.throws(() => patchSqlJsFileGrowth(`${growth};h=Math.max(h,q*(q<1048576?2:1.125)>>>0);${copy}`), /found 2/);
    assert.throws(() => patchSqlJsFileGrowth(`${growth};${copy};${copy}`), /file copy .* found 2/);
    const patched = patchSqlJsFileGrowth(`${growth};${copy}`);
    assert.ok(patched.endsWith('g=Math.max(g,m*2>>>0);a.Ua=__cuGrowFileBytes(a.Ua,a.Wa,g)'), patched.slice(-80));
  });

  it('grows the file\'s bytes in place once they are in a resizable buffer, and keeps what was written', () => {
    const first = new Uint8Array(300);
    first.set([1, 2, 3], 0);
    const grown = growFileBytes(first, 3, 1024);
    assert.equal(grown.length, 1024);
    assert.deepEqual([...grown.subarray(0, 4)], [1, 2, 3, 0]);
    const buffer = grown.buffer as ArrayBuffer & { resizable?: boolean; maxByteLength?: number };
    assert.equal(buffer.resizable, true);
    assert.equal(buffer.maxByteLength, GROW_RESERVE_BYTES);
    grown[1000] = 9;
    const again = growFileBytes(grown, 1001, 64 * 1024 * 1024);
    assert.equal(again.buffer, grown.buffer, 'the same buffer, resized: no copy');
    assert.equal(again.length, 64 * 1024 * 1024);
    assert.equal(again[1000], 9);
    assert.deepEqual([...again.subarray(0, 3)], [1, 2, 3]);
    // Past the reservation: one copy into a reservation twice the size.
    const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer;
    const beyond = growFileBytes(new Uint8Array(new Resizable(8, { maxByteLength: 16 })), 8, 32);
    assert.equal((beyond.buffer as ArrayBuffer & { maxByteLength?: number }).maxByteLength, GROW_RESERVE_BYTES);
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
