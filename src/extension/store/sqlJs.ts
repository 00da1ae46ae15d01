/**
 * Loads the sql.js WebAssembly module once per thread. The wasm file is read by us (not by sql.js' own locator) so the
 * same code works bundled (dist/sql-wasm.wasm beside the bundle), from sources under tsx, and in tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

const loaded = new Map<string, Promise<SqlJsStatic>>();

/** Where `sql-wasm.wasm` is: beside the running bundle when built, else in node_modules. */
export function locateSqlWasm(explicit?: string): string {
  if (explicit) return explicit;
  const beside = path.join(__dirname, 'sql-wasm.wasm');
  if (existsSync(beside)) return beside;
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  const file = locateSqlWasm(wasmPath);
  let pending = loaded.get(file);
  if (!pending) {
    pending = (async () => {
      let binary: Uint8Array;
      try {
        binary = readFileSync(file);
      } catch (e: unknown) {
        throw new Error(`Cannot read the SQLite engine (${file}): ${e instanceof Error ? e.message : String(e)}`);
      }
      const wasmBinary = binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength) as ArrayBuffer;
      return initSqlJs({ wasmBinary });
    })();
    pending.catch(() => loaded.delete(file));
    loaded.set(file, pending);
  }
  return pending;
}
