/** The `claude-usage` command line. Bundled to dist/cli.js beside dist/storeWorker.js. */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverClaudeConfigDirs } from '../extension/collectors/claudeCode/discovery';
import { createWorkerStore } from '../extension/store/storeClient';
import { parseReportArgs, USAGE } from './args';
import { buildReport } from './report';
import { formatReportTables } from './table';

async function main(argv: string[]): Promise<number> {
  const parsed = parseReportArgs(argv, Date.now());
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`claude-usage: ${parsed.message}\n\n${USAGE}\n`);
    return 2;
  }
  const args = parsed.args;
  const tempDir = args.db ? undefined : mkdtempSync(path.join(os.tmpdir(), 'claude-usage-'));
  const store = createWorkerStore({ workerPath: path.join(__dirname, 'storeWorker.js') });
  store.onEvent((e) => {
    if (e.type === 'log' && e.level !== 'info') process.stderr.write(`${e.level}: ${e.message}\n`);
  });
  try {
    const configDirs = args.configDirs.length > 0 ? args.configDirs.map((d) => path.resolve(d)) : discoverClaudeConfigDirs(process.env, os.homedir(), []);
    // A private temporary database needs no writer lock; a shared one (--db) joins whatever windows use it.
    await store.open(args.db ? { dbPath: path.resolve(args.db) } : { dbPath: path.join(tempDir ?? os.tmpdir(), 'usage.sqlite'), sharing: false });
    const scan = await store.startClaudeCode({ configDirs, watch: false });
    const report = await buildReport(store, args, scan);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReportTables(report)}\n`);
    return 0;
  } finally {
    await store.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`claude-usage: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
