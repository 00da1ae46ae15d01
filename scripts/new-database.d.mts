export function buildNewDatabase(outdir: string): Promise<void>;
