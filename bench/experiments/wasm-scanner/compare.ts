/**
 * A measurement, not product code: how fast a strict JSON walk of transcript lines runs in WebAssembly with SIMD
 * (scan.c, a prototype that finds a few keys' value spans and skips `content`/`toolUseResult` by brackets) next to the
 * product's JavaScript scanner (lineScanner.ts), on the bench corpus, interleaved in one process.
 *
 *   apt-get install clang lld
 *   clang --target=wasm32 -O3 -msimd128 -nostdlib -Wl,--no-entry -Wl,--import-memory \
 *     -Wl,--initial-memory=268435456 -Wl,--max-memory=1073741824 \
 *     -Wl,--export=scan_line -Wl,--export=scan_all -Wl,--export=spans_ptr -Wl,--export=heap_base \
 *     -o bench/experiments/wasm-scanner/scan.wasm bench/experiments/wasm-scanner/scan.c
 *   node --import tsx bench/experiments/wasm-scanner/compare.ts [MB]
 *
 * The prototype does less than lineScanner (no nested `data.message`, no shared-string reuse, no tags, no duplicate-key
 * rules, no decoding of escaped strings): it bounds what a wasm scanner could save, it does not replace one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LINE_SCAN } from '../../../src/extension/collectors/claudeCode/lineParser';
import { scanLine } from '../../../src/extension/collectors/claudeCode/lineScanner';

/** The part of the WebAssembly global this uses (the project's TypeScript libs declare no WebAssembly values). */
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface ScanExports {
  scan_line(ptr: number, len: number): number;
  scan_all(ptr: number, len: number): number;
  spans_ptr(): number;
  heap_base(): number;
}

const corpus = path.join(process.env.CORPUS ?? path.join(process.env.TMPDIR ?? '/tmp', 'claude-usage-bench', 'corpus-1024mb'), 'claude', 'projects');
const limit = Number(process.argv[2] ?? 200) * 1e6;
const memory = new WASM.Memory({ initial: 4096, maximum: 16384 });
const wasm = new WASM.Module(fs.readFileSync(path.join(__dirname, 'scan.wasm')));
const scan = new WASM.Instance(wasm, { env: { memory } }).exports as unknown as ScanExports;
const heap = Buffer.from(memory.buffer);
const base = scan.heap_base() + 1024;
let at = base;
const lines: Array<[number, number]> = [];
for (const dir of fs.readdirSync(corpus)) {
  for (const name of fs.readdirSync(path.join(corpus, dir), { recursive: true }) as string[]) {
    if (!name.endsWith('.jsonl') || at - base > limit) continue;
    const bytes = fs.readFileSync(path.join(corpus, dir, name));
    if (at + bytes.length > heap.length - 1024) continue;
    bytes.copy(heap, at);
    for (let s = 0, e = bytes.indexOf(10); e >= 0; s = e + 1, e = bytes.indexOf(10, s)) lines.push([at + s, e - s]);
    at += bytes.length;
  }
}
const spans = new Int32Array(memory.buffer, scan.spans_ptr(), 64);
const slicer = heap as unknown as { latin1Slice(from: number, to: number): string };
/** type, requestId, timestamp, uuid, model, id, sessionId, cwd: the strings the collector keeps. */
const KEPT = [0, 1, 2, 7, 12, 13, 5, 6];
const ms = { js: 0, wasm: 0, wasmStrings: 0 };
let kept = 0;
for (let rep = 0; rep < 3; rep++) {
  for (let i = 0; i < lines.length; i += 5000) {
    const part = lines.slice(i, i + 5000);
    let t = performance.now();
    for (const [s, n] of part) scanLine(heap, s, s + n - 1, LINE_SCAN.schema, LINE_SCAN.tags);
    ms.js += performance.now() - t;
    t = performance.now();
    for (const [s, n] of part) scan.scan_line(s, n);
    ms.wasm += performance.now() - t;
    t = performance.now();
    for (const [s, n] of part) {
      if (!scan.scan_line(s, n)) continue;
      for (const k of KEPT) if (spans[k * 2] >= 0) kept += slicer.latin1Slice(s + spans[k * 2] + 1, s + spans[k * 2 + 1] - 1).length;
    }
    ms.wasmStrings += performance.now() - t;
  }
}
const t = performance.now();
scan.scan_all(base, at - base);
const all = performance.now() - t;
console.log(`${lines.length} lines, ${((at - base) / 1e6).toFixed(0)} MB, 3 passes each (interleaved):`);
console.log(`  JS lineScanner ${ms.js.toFixed(0)} ms; wasm walk ${ms.wasm.toFixed(0)} ms (${(ms.js / ms.wasm).toFixed(1)}x); wasm walk + ${KEPT.length} strings ${ms.wasmStrings.toFixed(0)} ms (${(ms.js / ms.wasmStrings).toFixed(1)}x; ${kept} chars kept)`);
console.log(`  wasm, one pass splitting lines itself: ${all.toFixed(0)} ms (${((at - base) / 1e6 / (all / 1000)).toFixed(0)} MB/s)`);
