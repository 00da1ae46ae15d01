// Builds the extension host, the store's worker, the CLI and the webview; copies runtime assets.
// `--watch` rebuilds on change; `--production` minifies and drops source maps (the .vsix carries no sources).
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildWasm } from './scripts/build-wasm.mjs';
import { buildNewDatabase } from './scripts/new-database.mjs';
import { sqlJsFileGrowth } from './scripts/sqljs-file-growth.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdir = 'dist';

/** Prints esbuild's errors in the `file:line:col: error: text` shape VS Code's problem matchers read. */
const problemMatcherLog = {
  name: 'problem-matcher-log',
  setup(build) {
    build.onStart(() => console.log(`[watch] build started (${build.initialOptions.outfile})`));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log(`[watch] build finished (${build.initialOptions.outfile})`);
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherLog],
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

// The node bundles carry sql.js with its in-memory file growing in place (see scripts/sqljs-file-growth.mjs).
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', plugins: [problemMatcherLog, sqlJsFileGrowth] };

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: `${outdir}/extension.js`, external: ['vscode'] },
  { ...node, entryPoints: ['src/extension/store/worker/storeWorker.ts'], outfile: `${outdir}/storeWorker.js` },
  // The transcript reader threads of a large import run this small bundle rather than the store's worker bundle: less
  // code to load into each thread, no database code at all.
  { ...node, entryPoints: ['src/extension/collectors/claudeCode/readerWorker.ts'], outfile: `${outdir}/claudeCodeReader.js` },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: `${outdir}/cli.js`,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: `${outdir}/webview/dashboard.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

async function copyAssets() {
  await mkdir(outdir, { recursive: true });
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
  await copyFile(wasm, path.join(outdir, 'sql-wasm.wasm'));
  await buildWasm(); // dist/lineWalk.wasm, the transcript line walk
  await buildNewDatabase(outdir); // dist/newDatabase.sqlite, a new user's database (needs sql-wasm.wasm beside it)
}

const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
try {
  await copyAssets();
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
  } else {
    const results = await Promise.allSettled(contexts.map((ctx) => ctx.rebuild()));
    const failed = results.filter((r) => r.status === 'rejected');
    for (const r of failed) console.error(String(r.reason?.message ?? r.reason));
    if (failed.length) process.exitCode = 1;
  }
} finally {
  if (!watch) await Promise.all(contexts.map((ctx) => ctx.dispose()));
}
