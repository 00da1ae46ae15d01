// sql.js keeps its database in an Emscripten in-memory file that, past 1 MiB, grows by 12.5 % at a time: each step
// allocates a new zero-filled array and copies the whole file into it. A first import that builds a 30 MB database
// so copies ~340 MB in ~40 steps on the store's thread and leaves a trail of large dead arrays for the garbage
// collector. The bundles' sql.js grows the file in place instead: its bytes live in a resizable ArrayBuffer that
// reserves address space up front (GROW_RESERVE_BYTES) and is resized, by doubling, as the file grows — no copy,
// and pages not written yet are never touched, so the resident memory follows the data. (Doubling into new arrays,
// the first version of this change: 8 alternating pairs of cold imports of the 1 GB bench corpus, wall 0.905x, CPU
// 0.904x, store worker peak ~215 vs ~256 MB. In place: no copy at all — at 1M calls the step from 128 to 256 MB
// copied 128 MB into fresh pages, each page a fault, ~12 µs apiece on the bench's virtual machine.) Where a
// resizable buffer cannot be had (older engines, address space refused), the file grows by doubling with a copy.
//
// sql.js exposes no way to size or grow that file (its file system is not exported), so the build rewrites the two
// expressions involved; a sql.js without them fails the build instead of silently losing the change.
import { readFile } from 'node:fs/promises';

/** `m*(m<1048576?2:1.125)>>>0`, whatever the minifier named `m`: the next size. */
const GROWTH = /\b([A-Za-z_$][\w$]*)\*\(\1<1048576\?2:1\.125\)>>>0/g;
/** `m=a.Ua.subarray(0,a.Wa),a.Ua=new Uint8Array(g),a.Ua.set(m)`: the copy into a new array of that size. */
const COPY = /\b([A-Za-z_$][\w$]*)=([A-Za-z_$][\w$]*)\.([\w$]+)\.subarray\(0,\2\.([\w$]+)\),\2\.\3=new Uint8Array\(([A-Za-z_$][\w$]*)\),\2\.\3\.set\(\1\)/g;

/** Address space a growing file reserves: beyond it the file moves once into a reservation twice its size. */
export const GROW_RESERVE_BYTES = 2 ** 31;

/**
 * The file's bytes grown to `size` bytes (`used` of them in use): the same buffer resized when it can be, else a
 * copy into a new resizable buffer, else (no resizable buffers here) into a plain array. Injected into sql.js as
 * source text with GROW_RESERVE_BYTES beside it (HELPER), so it names nothing else outside itself.
 */
export function growFileBytes(bytes, used, size) {
  const buffer = bytes.buffer;
  if (buffer.resizable && bytes.byteOffset === 0 && size <= buffer.maxByteLength) {
    buffer.resize(size);
    return new Uint8Array(buffer, 0, size);
  }
  let next;
  try {
    next = new Uint8Array(new ArrayBuffer(size, { maxByteLength: Math.max(GROW_RESERVE_BYTES, size * 2) }), 0, size);
  } catch {
    next = new Uint8Array(size);
  }
  next.set(bytes.subarray(0, used));
  return next;
}

const HELPER = `var GROW_RESERVE_BYTES = ${GROW_RESERVE_BYTES};\nvar __cuGrowFileBytes = ${growFileBytes.toString()};\n`;

function findOnce(source, pattern, what, file) {
  const found = source.match(pattern) ?? [];
  if (found.length !== 1) {
    throw new Error(
      `${file}: expected one ${what}, found ${found.length}. sql.js changed: review scripts/sqljs-file-growth.mjs.`,
    );
  }
}

/** The sql.js source with its in-memory file growing in place; throws unless each expression occurs exactly once. */
export function patchSqlJsFileGrowth(source, file = 'sql.js') {
  findOnce(source, GROWTH, 'in-memory file growth expression (x*(x<1048576?2:1.125)>>>0)', file);
  findOnce(source, COPY, 'in-memory file copy (m=a.X.subarray(0,a.Y),a.X=new Uint8Array(g),a.X.set(m))', file);
  return HELPER + source.replace(GROWTH, '$1*2>>>0').replace(COPY, '$2.$3=__cuGrowFileBytes($2.$3,$2.$4,$5)');
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
