/**
 * The two line scanners side by side on the bench corpus, interleaved in one process: lineScanner.ts (JavaScript)
 * and lineWalker.ts (the WebAssembly walk, which builds the same result). Also checks that both give the same result
 * for every line.
 *
 *   node scripts/build-wasm.mjs && node --import tsx bench/scanners.ts [MB]
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LINE_SCAN } from '../src/extension/collectors/claudeCode/lineParser';
import { scanLine } from '../src/extension/collectors/claudeCode/lineScanner';
import { lineWalk, lineWalkProblem, walkLine } from '../src/extension/collectors/claudeCode/lineWalker';

const corpus = path.join(process.env.CORPUS ?? path.join(process.env.TMPDIR ?? '/tmp', 'claude-usage-bench', 'corpus-1024mb'), 'claude', 'projects');
const limit = Number(process.argv[2] ?? 200) * 1e6;
const walk = lineWalk();
if (!walk) throw new Error(`the line walk did not load: ${lineWalkProblem()}`);

/** Lines as the reader hands them over: views of a buffer (here one per file), trimmed to their braces. */
const lines: Array<[Buffer, number, number]> = [];
let bytes = 0;
for (const dir of fs.readdirSync(corpus)) {
  for (const name of fs.readdirSync(path.join(corpus, dir), { recursive: true }) as string[]) {
    if (!name.endsWith('.jsonl') || bytes > limit) continue;
    const file = fs.readFileSync(path.join(corpus, dir, name));
    bytes += file.length;
    for (let s = 0, e = file.indexOf(10); e >= 0; s = e + 1, e = file.indexOf(10, s)) {
      if (e - s > walk.scratchBytes) continue;
      const line = file.subarray(s, e);
      if (line[0] === 0x7b && line[line.length - 1] === 0x7d) lines.push([line, 0, line.length - 1]);
    }
  }
}

const ms = { js: 0, walk: 0 };
let walked = 0;
for (let rep = 0; rep < 3; rep++) {
  for (let i = 0; i < lines.length; i += 5000) {
    const part = lines.slice(i, i + 5000);
    let t = performance.now();
    for (const [line, s, e] of part) scanLine(line, s, e, LINE_SCAN.schema, LINE_SCAN.tags);
    ms.js += performance.now() - t;
    t = performance.now();
    for (const [line, s, e] of part) if (walkLine(line, s, e, LINE_SCAN.schema, LINE_SCAN.tags)) walked++;
    ms.walk += performance.now() - t;
  }
}
for (const [line, s, e] of lines) {
  const w = walkLine(line, s, e, LINE_SCAN.schema, LINE_SCAN.tags);
  if (w) assert.deepStrictEqual(w, scanLine(line, s, e, LINE_SCAN.schema, LINE_SCAN.tags));
}
console.log(`${lines.length} lines, ${(bytes / 1e6).toFixed(0)} MB, 3 passes each (interleaved), results compared line by line:`);
console.log(`  lineScanner.ts (JavaScript) ${ms.js.toFixed(0)} ms; lineWalker.ts (WebAssembly walk + building the result) ${ms.walk.toFixed(0)} ms: ${(ms.js / ms.walk).toFixed(1)}x; ${((walked / 3 / lines.length) * 100).toFixed(1)} % of lines walked (the rest go to the JavaScript scanner)`);
console.log('  (lines here are copied into the walk\'s memory; the reader reads them there directly)');
