// sql.js keeps its database in an Emscripten in-memory file that, past 1 MiB, grows by 12.5 % at a time: each step
// allocates a new zero-filled array and copies the whole file into it. A first import that builds a 30 MB database
// so copies ~340 MB in ~40 steps on the store's thread and leaves a trail of large dead arrays for the garbage
// collector. The bundles double the file instead (what sql.js itself does below 1 MiB): ~15 steps and ~64 MB copied;
// pages of an array not written yet are never touched, so the resident memory follows the data, not the array.
// Measured on the 1 GB bench corpus, 8 alternating pairs of cold imports: wall 0.905x, CPU 0.904x, peak memory of
// the store's worker ~215 vs ~256 MB.
//
// sql.js exposes no way to size or grow that file (its file system is not exported), so the build rewrites the one
// expression; a sql.js without it fails the build instead of silently losing the change.
import { readFile } from 'node:fs/promises';

/** `m*(m<1048576?2:1.125)>>>0`, whatever the minifier named `m`. */
const GROWTH = /\b([A-Za-z_$][\w$]*)\*\(\1<1048576\?2:1\.125\)>>>0/g;

/** The sql.js source with its in-memory file doubling as it grows; throws unless the expression occurs exactly once. */
export function patchSqlJsFileGrowth(source, file = 'sql.js') {
  const found = source.match(GROWTH) ?? [];
  if (found.length !== 1) {
    throw new Error(
      `${file}: expected one in-memory file growth expression (x*(x<1048576?2:1.125)>>>0), found ${found.length}. ` +
        'sql.js changed: review scripts/sqljs-file-growth.mjs.',
    );
  }
  return source.replace(GROWTH, '$1*2>>>0');
}

/** An esbuild plugin applying patchSqlJsFileGrowth to the sql.js build the node bundles load. */
export const sqlJsFileGrowth = {
  name: 'sqljs-file-growth',
  setup(build) {
    build.onLoad({ filter: /[\\/]sql\.js[\\/]dist[\\/]sql-wasm\.js$/ }, async (args) => ({
      contents: patchSqlJsFileGrowth(await readFile(args.path, 'utf8'), args.path),
      loader: 'js',
    }));
  },
};
