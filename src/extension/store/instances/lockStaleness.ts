/**
 * Deciding that a lock's holder is gone. Two independent signs, either one is enough:
 *  - the holder runs on this host and its pid no longer exists (`kill(pid, 0)` → ESRCH): a crash or `kill -9`,
 *    noticed at once;
 *  - the lock file's heartbeat (its mtime) has not changed for `staleMs`, measured on OUR monotonic clock from the
 *    moment we first saw that exact stat. Comparing the file's mtime with our wall clock would break on clock jumps
 *    (a laptop resuming, NTP) and across hosts with skewed clocks; watching for change needs neither.
 * The cost of the second rule is that a lock left behind by a crash on ANOTHER host is taken over only `staleMs`
 * after an instance first looks at it.
 */
import os from 'node:os';
import { errorCode } from './fsUtil';
import type { FileSignature, LockOwner } from './lockFiles';

export function processIsGone(owner: LockOwner, hostname: string = os.hostname()): boolean {
  if (owner.hostname !== hostname) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e: unknown) {
    // EPERM: the process exists but belongs to someone else — alive.
    return errorCode(e) === 'ESRCH';
  }
}

interface Sighting {
  signature: FileSignature;
  since: number;
}

/** Remembers, per lock file name, since when (monotonic ms) its stat has looked the same. */
export class HeartbeatObserver {
  private readonly sightings = new Map<string, Sighting>();

  constructor(
    private readonly staleMs: number,
    private readonly clock: () => number,
  ) {}

  /** Records a fresh stat; returns how long (ms) this exact signature has been seen unchanged. */
  observe(name: string, signature: FileSignature): number {
    const now = this.clock();
    const seen = this.sightings.get(name);
    if (!seen || seen.signature !== signature) {
      this.sightings.set(name, { signature, since: now });
      return 0;
    }
    return now - seen.since;
  }

  isSilent(name: string, signature: FileSignature): boolean {
    return this.observe(name, signature) >= this.staleMs;
  }

  /** Drops sightings of files no longer of interest, so the map stays small for the life of the window. */
  keepOnly(names: ReadonlySet<string>): void {
    for (const name of this.sightings.keys()) if (!names.has(name)) this.sightings.delete(name);
  }
}
