export function patchSqlJsFileGrowth(source: string, file?: string): string;
export const sqlJsFileGrowth: { name: string; setup(build: unknown): void };
