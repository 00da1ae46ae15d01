/**
 * Child processes started in their own process group, so stopping one also stops everything it forked
 * (code-server forks the extension host, the pty host and file watchers). Every group still alive when this
 * process exits — normally, by an uncaught error, or by SIGINT/SIGTERM — is killed, so a failing test or a
 * Ctrl-C never leaves a server behind.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const MAX_OUTPUT_CHARS = 200_000;

export interface GroupProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Combined stdout + stderr so far (the last MAX_OUTPUT_CHARS characters). */
  output(): string;
  /** Resolves with the exit code (or signal name) once the leader has exited. */
  readonly exited: Promise<number | string>;
  isAlive(): boolean;
  /** SIGTERM to the whole group, SIGKILL after `graceMs` if the leader is still there. */
  stop(graceMs?: number): Promise<void>;
}

const liveGroups = new Set<number>();
let exitHooksInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const pid of liveGroups) killGroup(pid, 'SIGTERM');
      // Give the groups a moment to shut down cleanly; the exit hook SIGKILLs whatever is left.
      setTimeout(() => process.exit(signal === 'SIGINT' ? 130 : 143), 1500).unref();
    });
  }
}

export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): GroupProcess {
  installExitHooks();
  const child = spawn(command, [...args], { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  liveGroups.add(pid);
  let output = '';
  const append = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let alive = true;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (e) => {
      alive = false;
      append(Buffer.from(`\n[spawn error] ${e.message}\n`));
      resolve('error');
    });
  });

  async function stop(graceMs = 5000): Promise<void> {
    if (!liveGroups.has(pid)) return;
    killGroup(pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    await Promise.race([exited, timer]);
    // The leader may be gone while children it forked still run in the group: always finish the group.
    killGroup(pid, 'SIGKILL');
    liveGroups.delete(pid);
  }

  return { pid, child, output: () => output, exited, isAlive: () => alive, stop };
}
