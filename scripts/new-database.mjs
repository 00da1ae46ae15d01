// Writes dist/newDatabase.sqlite: the database the migrations build from nothing, which a new user's store starts
// from instead of running them (src/extension/store/newDatabase.ts says why). The sources that build it are bundled
// into a temporary file beside sql-wasm.wasm, run, and removed, so the image always comes from this checkout's schema.
import * as esbuild from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export async function buildNewDatabase(outdir) {
  const generator = path.resolve(outdir, '.new-database.cjs');
  await esbuild.build({
    stdin: {
      contents: "export { newDatabaseImage, NEW_DATABASE_FILE } from './src/extension/store/newDatabase';\n" +
        "export { loadSqlJs } from './src/extension/store/sqlJs';\n",
      resolveDir: path.resolve('.'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: generator,
    logLevel: 'silent',
  });
  try {
    const { newDatabaseImage, NEW_DATABASE_FILE, loadSqlJs } = require(generator);
    await writeFile(path.join(outdir, NEW_DATABASE_FILE), newDatabaseImage(await loadSqlJs()));
  } finally {
    delete require.cache[generator];
    await rm(generator, { force: true });
  }
}
