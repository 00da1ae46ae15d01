// Runs test suites with node's test runner (TypeScript through tsx).
//   node scripts/run-tests.mjs unit            – fast, no VS Code, no browser
//   node scripts/run-tests.mjs browser         – the built webview in headless Debian chromium
//   node scripts/run-tests.mjs e2e             – the packaged extension in a real VS Code host (code-server)
// Extra arguments after the suite names are passed to `node --test` (e.g. --test-name-pattern=pricing).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildWasm } from './build-wasm.mjs';

const SUITES = { unit: 'test/unit', browser: 'test/browser', e2e: 'test/e2e' };
const args = process.argv.slice(2);
const suites = args.filter((a) => a in SUITES);
const passThrough = args.filter((a) => !(a in SUITES));
if (suites.length === 0) suites.push('unit');

function testFiles(dir) {
  const out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...testFiles(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const files = suites.flatMap((s) => testFiles(SUITES[s]));
if (files.length === 0) {
  console.error(`no test files found for ${suites.join(', ')}`);
  process.exit(1);
}
// The unit suite runs from sources but reads the line walk's WebAssembly from dist/.
await buildWasm();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...passThrough, ...files],
  { stdio: 'inherit', env: { ...process.env, TZ: process.env.TZ ?? 'UTC' } },
);
process.exit(result.status ?? 1);
