/** What the figures were measured on: they mean little without it. */
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  platform: string;
  /** 1-minute load average at the start: other work on the machine skews the figures. */
  load1: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    load1: os.loadavg()[0],
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cores} cores (${m.cpuModel}), ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB RAM, Node ${m.node}, ` +
    `${m.platform}, load ${m.load1.toFixed(2)} at start`;
}

/** Whether GNU time is installed (`apt-get install time`): it reports a child's peak RSS exactly. */
export function hasGnuTime(): boolean {
  try {
    fs.accessSync('/usr/bin/time', fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
