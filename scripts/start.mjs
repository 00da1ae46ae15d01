// The main job (`npm start`): VS Code in the browser with Claude Usage loaded and YOUR Claude Code data.
//
// Installs what is missing (npm dependencies, Debian's ripgrep + libkrb5-dev, code-server 4.100.3 into
// ~/.cache/claude-usage-e2e), builds and packages the extension, installs it into a persistent profile
// (~/.cache/claude-usage-e2e/profile), starts code-server on 127.0.0.1 and prints the URL to open.
// Your real HOME is used, so ~/.claude/projects is read; with no data the dashboard shows its first-run state.
//
//   npm start                          # a free port, opens the current folder
//   PORT=8080 npm start -- ~/my/repo   # a fixed port and another folder
//   npm start -- --skip-package        # reuse the claude-usage.vsix already built
// Environment: PORT (or CLAUDE_USAGE_PORT), CLAUDE_USAGE_PROFILE (profile folder), CLAUDE_USAGE_VSIX (with
// --skip-package: the package to install), CLAUDE_USAGE_E2E_CACHE (where code-server is cached).
// Ctrl-C stops the server and everything it started.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const skipPackage = args.includes('--skip-package');
const folderArg = args.find((a) => !a.startsWith('--'));
const folder = path.resolve(folderArg ?? process.env.INIT_CWD ?? process.cwd());
const portText = process.env.CLAUDE_USAGE_PORT ?? process.env.PORT ?? '0';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number (0 = any free port), not "${portText}"`);
if (!existsSync(folder)) fail(`no such folder: ${folder}`);

function step(text) {
  console.log(`\n▸ ${text}`);
}

function fail(text) {
  console.error(`\nnpm start: ${text}`);
  process.exit(1);
}

function run(command, commandArgs, what) {
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) fail(`${what} failed (${command} ${commandArgs.join(' ')}, exit ${result.status ?? result.signal})`);
}

if (!existsSync(path.join(repoRoot, 'node_modules', '.bin', 'vsce')) || !existsSync(path.join(repoRoot, 'node_modules', 'tsx'))) {
  step('Installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], 'npm ci');
}

step('Checking Debian packages for code-server (ripgrep, libkrb5-dev)');
run('bash', [path.join(repoRoot, 'scripts/e2e/ensure-debian-packages.sh'), 'ripgrep', 'libkrb5-dev'], 'installing Debian packages');

step('Installing code-server 4.100.3 if missing (about a minute the first time)');
run('bash', [path.join(repoRoot, 'scripts/e2e/install-code-server.sh')], 'installing code-server');

const vsix = process.env.CLAUDE_USAGE_VSIX ? path.resolve(process.env.CLAUDE_USAGE_VSIX) : path.join(repoRoot, 'claude-usage.vsix');
if (skipPackage && existsSync(vsix)) {
  step(`Using the existing ${path.relative(process.cwd(), vsix) || vsix}`);
} else {
  step('Building and packaging the extension (npm run package)');
  run('npm', ['run', '--silent', 'package'], 'npm run package');
}

// The code-server helpers are TypeScript shared with the E2E suite; tsx loads them.
// (package.json has no "type": "module", so they load as CommonJS through tsx's require hook.)
const tsx = await import('tsx/cjs/api');
const cs = tsx.require('./e2e/codeServer.ts', import.meta.url);

const profileRoot = process.env.CLAUDE_USAGE_PROFILE ? path.resolve(process.env.CLAUDE_USAGE_PROFILE) : path.join(cs.e2eCacheDir(), 'profile');
const settingsFile = path.join(profileRoot, 'user-data', 'User', 'settings.json');
// Quiet defaults the first time only: later runs keep whatever the user changed in Settings.
const profile = cs.prepareProfile(profileRoot, existsSync(settingsFile) ? undefined : { ...cs.QUIET_SETTINGS });
const env = cs.codeServerEnv({}, { keepClaudeConfigDir: true });

step(`Installing the extension into ${profileRoot}`);
try {
  cs.installExtension(profile, vsix, env);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

step('Starting code-server on 127.0.0.1');
let server;
try {
  server = await cs.startCodeServer({ profile, env, folder, port });
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
const url = server.workbenchUrl(folder);
const claudeDirs = (process.env.CLAUDE_CONFIG_DIR ?? '').split(',').filter(Boolean);
const dataNote = claudeDirs.length > 0 ? claudeDirs.join(', ') : path.join(os.homedir(), '.claude');
console.log(`
  Claude Usage is running in VS Code (code-server ${cs.CODE_SERVER_VERSION}) with your data from ${dataNote}.

    Open:  ${url}

  The cost is in the status bar (bottom right); F1 → "Claude Usage: Open Usage Dashboard" opens the dashboard.
  Listening on 127.0.0.1 only. Press Ctrl-C to stop.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    stopping = true;
    console.log('\nStopping code-server …');
  });
}
const code = await server.process.exited;
if (stopping) {
  await server.stop(); // the whole process group, including the extension host
  console.log('Stopped.');
  process.exit(0);
}
console.error(`code-server exited by itself (${code}). Its last output:\n${server.process.output().split('\n').slice(-30).join('\n')}`);
process.exit(1);
