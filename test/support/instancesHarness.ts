/**
 * Starts and watches the child processes of the several-instances tests (test/support/instancesChild.ts), and
 * checks the writer log they leave behind. Waiting uses generous deadlines only; nothing here asserts a duration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const CHILD_SCRIPT = path.join(__dirname, 'instancesChild.ts');

export class Child {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly waiters: Array<() => void> = [];
  private gone = false;

  constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
  ) {
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      this.lines.push(line);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => {
        this.gone = true;
        for (const wake of this.waiters.splice(0)) wake();
        resolve({ code, signal });
      });
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get running(): boolean {
    return !this.gone;
  }

  count(prefix: string): number {
    return this.lines.filter((l) => l.startsWith(prefix)).length;
  }

  /** Keys this child reported as acknowledged (printed only after `appendToJournal` resolved). */
  acknowledged(): string[] {
    return this.lines.filter((l) => l.startsWith('ack ')).flatMap((l) => l.slice(4).split(' '));
  }

  send(command: string): void {
    if (this.running) this.proc.stdin?.write(`${command}\n`);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.proc.kill(signal);
  }

  /** Resolves once `predicate` holds for the lines seen so far; rejects after `timeoutMs` or if the child dies first. */
  async waitFor(predicate: (lines: readonly string[]) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.lines)) {
      const errorLine = this.lines.find((l) => l.startsWith('error '));
      if (errorLine) throw new Error(`${this.name} failed while waiting for ${what}: ${errorLine}`);
      if (this.gone) throw new Error(`${this.name} exited while waiting for ${what}; output:\n${this.lines.join('\n')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no ${what} within ${timeoutMs} ms; output:\n${this.lines.slice(-20).join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

export function startChild(name: string, args: readonly string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: path.join(__dirname, '..', '..'),
    env: { ...process.env, ...env },
  });
  return new Child(name, proc);
}

/** Waits until some child satisfies `predicate`; returns it. */
export async function waitForAny(children: readonly Child[], predicate: (c: Child) => boolean, what: string, timeoutMs = 30_000): Promise<Child> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = children.find(predicate);
    if (found) return found;
    for (const c of children) {
      const errorLine = c.lines.find((l) => l.startsWith('error '));
      if (errorLine) throw new Error(`${c.name} failed while waiting for ${what}: ${errorLine}`);
    }
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Kills whatever is still running (SIGCONT first, so a frozen child can die). */
export async function stopAll(children: readonly Child[]): Promise<void> {
  for (const c of children) {
    c.signal('SIGCONT');
    c.signal('SIGKILL');
  }
  await Promise.all(children.map((c) => c.exited));
}

export interface WriterLine {
  epoch: number;
  instanceId: string;
  ms: number;
}

export interface WriterLogCheck {
  lines: number;
  epochs: number;
  /** Human-readable violations of "exactly one writer at any time"; empty when the log is clean. */
  overlaps: string[];
}

/**
 * In file order (O_APPEND gives one global order), epochs must never go back, each epoch must belong to one instance,
 * and each epoch's writes must end (by the clock) before the next epoch's first write.
 */
export function checkWriterLog(file: string): WriterLogCheck {
  const parsed: WriterLine[] = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [epoch, instanceId, ms] = l.split(' ');
      return { epoch: Number(epoch), instanceId, ms: Number(ms) };
    });
  const overlaps: string[] = [];
  const owners = new Map<number, string>();
  const lastMs = new Map<number, number>();
  let highest = 0;
  for (const [i, line] of parsed.entries()) {
    if (!Number.isInteger(line.epoch) || line.epoch <= 0) overlaps.push(`line ${i + 1}: bad epoch`);
    if (line.epoch < highest) overlaps.push(`line ${i + 1}: epoch ${line.epoch} (${line.instanceId}) wrote after epoch ${highest}`);
    const owner = owners.get(line.epoch);
    if (owner !== undefined && owner !== line.instanceId) overlaps.push(`epoch ${line.epoch} written by ${owner} and ${line.instanceId}`);
    if (line.epoch > highest) {
      const previous = lastMs.get(highest);
      if (previous !== undefined && previous > line.ms) {
        overlaps.push(`epoch ${line.epoch} started at ${line.ms}, before epoch ${highest} last wrote at ${previous}`);
      }
      highest = line.epoch;
    }
    owners.set(line.epoch, line.instanceId);
    lastMs.set(line.epoch, line.ms);
  }
  return { lines: parsed.length, epochs: owners.size, overlaps };
}
