/**
 * The journal's files in `<storage>/journal/`, one per generation:
 *   journal-000004.jsonl           active: appenders write here (the highest active generation)
 *   journal-000004.retired.jsonl   retired by a rotation: no new appends land here (a late one is re-appended)
 * Generation numbers only grow (a new one is one above every number present), so a missing number below the
 * highest present means that generation was pruned.
 */
import path from 'node:path';
import { listDir, padNumber } from './fsUtil';

export const JOURNAL_DIR_NAME = 'journal';

export type GenerationState = 'active' | 'retired';

export interface GenerationFile {
  generation: number;
  state: GenerationState;
  name: string;
}

const NAME_PATTERN = /^journal-(\d{1,15})\.(jsonl|retired\.jsonl)$/;
const GENERATION_WIDTH = 6;

export function journalDirOf(storageDir: string): string {
  return path.join(storageDir, JOURNAL_DIR_NAME);
}

export function generationName(generation: number, state: GenerationState): string {
  return `journal-${padNumber(generation, GENERATION_WIDTH)}.${state === 'active' ? 'jsonl' : 'retired.jsonl'}`;
}

export function parseGenerationName(name: string): GenerationFile | null {
  const m = NAME_PATTERN.exec(name);
  if (!m) return null;
  return { generation: Number(m[1]), state: m[2] === 'jsonl' ? 'active' : 'retired', name };
}

/** Generation files, lowest first. If a rename raced the listing and both names show, the retired one wins. */
export async function listGenerations(journalDir: string): Promise<GenerationFile[]> {
  const byGeneration = new Map<number, GenerationFile>();
  for (const name of await listDir(journalDir)) {
    const file = parseGenerationName(name);
    if (!file) continue;
    const seen = byGeneration.get(file.generation);
    if (!seen || file.state === 'retired') byGeneration.set(file.generation, file);
  }
  return [...byGeneration.values()].sort((a, b) => a.generation - b.generation);
}

export function highestGeneration(files: readonly GenerationFile[]): number {
  return files.length === 0 ? 0 : files[files.length - 1].generation;
}

/** Where appends go: the highest active generation (older actives only exist if a rotation was interrupted). */
export function appendTarget(files: readonly GenerationFile[]): GenerationFile | undefined {
  for (let i = files.length - 1; i >= 0; i--) if (files[i].state === 'active') return files[i];
  return undefined;
}
