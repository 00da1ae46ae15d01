/** The packaged extension's size: `npm run package` writes claude-usage.vsix at the repository root. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface VsixResult {
  bytes?: number;
  ms: number;
  error?: string;
}

export async function packageVsix(repoRoot: string): Promise<VsixResult> {
  const started = performance.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['run', 'package'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout.on('data', (b: Buffer) => output.push(b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => output.push(b.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', resolve);
  });
  const ms = performance.now() - started;
  if (code !== 0) {
    const tail = output.join('').trim().split('\n').slice(-4).join(' | ');
    return { ms, error: `npm run package failed (exit ${code}): ${tail}` };
  }
  try {
    return { ms, bytes: fs.statSync(path.join(repoRoot, 'claude-usage.vsix')).size };
  } catch {
    return { ms, error: 'npm run package succeeded but claude-usage.vsix is missing' };
  }
}
