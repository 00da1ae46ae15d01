// Compiles the transcript line walk (AssemblyScript) to dist/lineWalk.wasm; skipped when the output is newer than
// every source in its folder and this script. Imported by esbuild.mjs and the test runner; `node scripts/build-wasm.mjs` runs it alone.
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const LINE_WALK_SOURCE = path.join(root, 'src/extension/collectors/claudeCode/wasm/lineWalk.ts');
/** The lane (transcriptLane.ts) is a second entry: its exports are the module's too. */
export const LANE_SOURCE = path.join(root, 'src/extension/collectors/claudeCode/wasm/transcriptLane.ts');
export const LINE_WALK_WASM = path.join(root, 'dist/lineWalk.wasm');

async function mtime(file) {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return -1;
  }
}

export async function buildWasm() {
  const folder = path.dirname(LINE_WALK_SOURCE);
  const sources = (await readdir(folder)).filter((f) => f.endsWith('.ts')).map((f) => path.join(folder, f));
  const inputs = Math.max(...(await Promise.all([...sources, fileURLToPath(import.meta.url)].map(mtime))));
  if ((await mtime(LINE_WALK_WASM)) > inputs) return;
  await mkdir(path.dirname(LINE_WALK_WASM), { recursive: true });
  const { default: asc } = await import('assemblyscript/asc');
  // A fixed-size memory (initial = maximum) so JavaScript's views of it stay valid; nothing is imported.
  const { error, stderr } = await asc.main([
    path.relative(root, LINE_WALK_SOURCE),
    path.relative(root, LANE_SOURCE),
    '--outFile', path.relative(root, LINE_WALK_WASM),
    '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=',
    '--enable', 'simd', '--initialMemory', '224', '--maximumMemory', '224',
  ], { stdout: process.stdout, stderr: process.stderr });
  if (error) throw new Error(`AssemblyScript build of ${path.relative(root, LINE_WALK_SOURCE)} failed: ${error.message}\n${stderr.toString()}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await buildWasm();
