export const GROW_RESERVE_BYTES: number;
export function growFileBytes(bytes: Uint8Array, used: number, size: number): Uint8Array;
export function patchSqlJsFileGrowth(source: string, file?: string): string;
export const sqlJsFileGrowth: { name: string; setup(build: unknown): void };
