/**
 * `npm run bench`: the scale targets of issue 6, measured on this machine and printed as a table with a verdict per
 * target; a full run also writes bench/RESULTS.md (the README's Performance section is copied from it).
 *
 *   --quick            50 MB corpus, 100k stored calls, fewer runs (a smoke run of about a minute)
 *   --mb <n>           corpus size in MB (default 1024; env BENCH_CORPUS_MB)
 *   --calls <n>        stored calls for the query and save figures (default 1,000,000)
 *   --runs <n>         repetitions of each query (median reported)
 *   --rounds <n>       cold imports, each right after a ccusage run on the same files (default 5; medians reported)
 *   --no-package       skip `npm run package` (the .vsix size)
 *   --keep             keep the temp database folder
 *
 * The corpus is generated once under the temp folder and reused (bench/corpus.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCorpus, formatMb, type CorpusManifest } from './corpus';
import { runCcusage, locateCcusage, type CcusageRun } from './lib/ccusage';
import { appendLatency, coldImport, medianOr, openStore, rescans, type ColdImport, type OpenedStore } from './lib/importPhase';
import { describeMachine, hasGnuTime, machineInfo } from './lib/machine';
import { resultsMarkdown, table, verdictLine, type Figure, type Verdict } from './lib/report';
import { scalePhase, TIME_ZONE, worstMedian } from './lib/scalePhase';
import { count, mb, median, ms, sleep, timed } from './lib/stats';
import { packageVsix } from './lib/vsix';

const REPO = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const option = (name: string): number | undefined => {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : undefined;
};

const quick = flag('--quick');
const corpusMb = option('--mb') ?? (Number(process.env.BENCH_CORPUS_MB) || (quick ? 50 : 1024));
const targetCalls = option('--calls') ?? (quick ? 100_000 : 1_000_000);
const runs = option('--runs') ?? (quick ? 7 : 15);
const appendRuns = quick ? 3 : 5;
/** Cold-import rounds: ccusage then ours, alternating, so a slow spell of a shared machine hits both sides. */
// Five: a median of three moved by ±0.1 in the ratio from run to run on this shared machine.
const rounds = option('--rounds') ?? (quick ? 1 : 5);
/** A pause before each side's run in a round (see the round loop). */
const SETTLE_MS = quick ? 0 : 3_000;
const debounceMs = 150;

const log = (s: string): void => console.log(`· ${s}`);

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`Claude Usage benchmark${quick ? ' (quick)' : ''}`);
  console.log(`Machine: ${describeMachine(machine)}`);
  const workerPath = path.join(REPO, 'dist', 'storeWorker.js');
  if (!fs.existsSync(workerPath)) throw new Error(`${workerPath} is missing: run \`node esbuild.mjs --production\` first (npm run bench does)`);

  const gen = await timed(async () => ensureCorpus({ targetBytes: Math.round(corpusMb * (1 << 20)), log }));
  const corpus = gen.value;
  const t = corpus.totals;
  const corpusLine = `${formatMb(t.bytes)} in ${count(t.files)} files (${count(t.subagentFiles)} subagent files) across ` +
    `${corpus.projects} projects, ${count(t.lines)} lines, ${count(t.calls)} API calls written as ${count(t.assistantLines)} ` +
    `assistant lines, ${t.bigToolResults} megabyte tool results, largest file ${formatMb(t.largestFileBytes)}, ` +
    `${t.malformedLines} torn lines, ${t.resumedCopies} resumed copies`;
  log(`Corpus: ${corpusLine} (${gen.ms > 5_000 ? `generated in ${ms(gen.ms)}` : 'cached'}) at ${corpus.configDir}`);

  log('Warming the page cache (both importers then read from memory)…');
  const warm = await timed(async () => warmPageCache(path.join(corpus.configDir, 'projects')));
  log(`Read ${formatMb(warm.value)} in ${ms(warm.ms)}.`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cu-bench-db-'));
  const dbPath = path.join(tmp, 'usage.sqlite');
  try {
    const { command, native } = locateCcusage();
    log(`${rounds} round(s) of: ccusage daily --json --offline (${native ? 'native binary' : 'npm wrapper'}: ${path.relative(REPO, command)}), ` +
      'then a cold import through the worker store into a new database…');
    const ccRuns: CcusageRun[] = [];
    const coldRounds: ColdRound[] = [];
    let last: { opened: OpenedStore; cold: ColdImport } | undefined;
    for (let r = 0; r < rounds; r++) {
      // Each side starts after a rest, not in the other's wake: ours, opened and imported straight after a ccusage
      // run, measured 4-5 % slower than 3 s later, for a reason not found (bench/README.md, thirteenth sitting).
      await sleep(SETTLE_MS);
      const cc = await runCcusage(corpus.configDir);
      await sleep(SETTLE_MS);
      ccRuns.push(cc);
      // The last round's store goes on to the other phases; earlier ones are closed and deleted.
      const roundDir = r === rounds - 1 ? tmp : fs.mkdtempSync(path.join(os.tmpdir(), 'cu-bench-db-'));
      const opened = await openStore({ workerPath, dbPath: path.join(roundDir, 'usage.sqlite') });
      const cold = await coldImport(opened.store, corpus.configDir, r > 0 ? 500 : quick ? 1_000 : 2_000);
      const round: ColdRound = { totalMs: opened.startMs + cold.ms, cpuMs: cold.cpuMs, workerPeak: cold.memory.rssPeak - opened.baselineRss };
      coldRounds.push(round);
      log(`Round ${r + 1}: ccusage ${cc.error ? `failed (${cc.error})` : ms(cc.wallMs)}; ours ${ms(round.totalMs)} ` +
        `(${ms(opened.startMs)} worker start and open + ${ms(cold.ms)} import of ${count(cold.all.calls)} calls).`);
      if (r === rounds - 1) last = { opened, cold };
      else {
        await opened.store.close();
        fs.rmSync(roundDir, { recursive: true, force: true });
      }
    }
    if (!last) throw new Error('no cold import round ran');
    const { opened, cold } = last;
    const { store } = opened;
    const cc = pickMedian(ccRuns);

    const rescan = await rescans(store, 5);
    log(`Re-scan with nothing new: ${rescan.ms.map((v) => ms(v)).join(', ')} (files read: ${rescan.last.filesRead}).`);
    const append = await appendLatency(store, corpus, appendRuns, debounceMs);
    log(`Appended line visible after: ${append.visibleMs.map((v) => ms(v)).join(', ')}${append.error ? ` (${append.error})` : ''}.`);

    log(`Scale phase: ${count(targetCalls)} stored calls, ${runs} runs per query…`);
    const scale = await scalePhase(store, targetCalls, corpus.endMs, dbPath, runs, log);
    const close = await timed(() => store.close());

    const vsix = flag('--no-package') ? undefined : (log('npm run package…'), await packageVsix(REPO));

    const { figures, verdicts, notes } = summarize({ corpus, cc, coldRounds, opened, cold, rescan, append, scale, close: close.ms, vsix });
    const loadEnd = os.loadavg()[0];
    if (Math.max(machine.load1, loadEnd) > machine.cores) {
      notes.push(`The machine was busy with other work (1-minute load ${machine.load1.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end, on ${machine.cores} cores): ` +
        'wall times and event-loop delays are inflated; compare ratios rather than absolute times.');
    }
    console.log('');
    console.log(table(figures));
    console.log('');
    for (const v of verdicts) console.log(verdictLine(v));
    if (notes.length) {
      console.log('');
      for (const n of notes) console.log(`Note: ${n}`);
    }
    if (!quick) {
      const file = path.join(REPO, 'bench', 'RESULTS.md');
      fs.writeFileSync(file, resultsMarkdown({
        date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
        command: 'npm run bench',
        machine: describeMachine(machine),
        corpus: corpusLine,
        figures, verdicts, notes,
      }));
      console.log(`\nWrote ${path.relative(REPO, file)}.`);
    }
  } finally {
    if (flag('--keep')) console.log(`Kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The run with the median wall time (of those that did not fail): one unlucky run must not decide either way. */
function pickMedian(all: CcusageRun[]): { runs: CcusageRun[]; best: CcusageRun } {
  const ok = all.filter((r) => !r.error);
  const sorted = [...(ok.length ? ok : all)].sort((a, b) => a.wallMs - b.wallMs);
  return { runs: all, best: sorted[Math.floor((sorted.length - 1) / 2)] };
}

/** Reads every transcript once with a bounded buffer, so neither importer pays for the disk. */
function warmPageCache(dir: string): number {
  const buf = Buffer.allocUnsafe(1 << 20);
  let total = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const fd = fs.openSync(p, 'r');
        try {
          for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) total += n;
        } finally {
          fs.closeSync(fd);
        }
      }
    }
  };
  walk(dir);
  return total;
}

/** One cold import: worker start + open + import, the process's CPU time, the worker's peak RSS. */
interface ColdRound {
  totalMs: number;
  cpuMs: number;
  workerPeak: number;
}

interface Measured {
  corpus: CorpusManifest;
  cc: { runs: CcusageRun[]; best: CcusageRun };
  coldRounds: ColdRound[];
  opened: OpenedStore;
  cold: ColdImport;
  rescan: Awaited<ReturnType<typeof rescans>>;
  append: Awaited<ReturnType<typeof appendLatency>>;
  scale: Awaited<ReturnType<typeof scalePhase>>;
  close: number;
  vsix: Awaited<ReturnType<typeof packageVsix>> | undefined;
}

function summarize(m: Measured): { figures: Figure[]; verdicts: Verdict[]; notes: string[] } {
  const { corpus, cc, coldRounds, opened, cold, rescan, append, scale } = m;
  const figures: Figure[] = [];
  const verdicts: Verdict[] = [];
  const notes: string[] = [];
  const ccRun = cc.best;
  const mbps = (cold.stats.bytesRead / (1 << 20)) / (cold.ms / 1000);

  // Cold import: medians over the rounds (each ours a few seconds after a ccusage run). The ratio is the median of
  // the rounds' own ratios: each compares two runs seconds apart, so a slow spell that hits one side of a round
  // moves that round only, where the ratio of the two medians could pair figures from different spells.
  const oursMs = median(coldRounds.map((r) => r.totalMs));
  const ccOk = cc.runs.filter((r) => !r.error);
  const ccMs = medianOr(ccOk.map((r) => r.wallMs));
  const roundRatios = coldRounds.map((r, i) => (cc.runs[i] && !cc.runs[i].error ? r.totalMs / cc.runs[i].wallMs : NaN));
  const ratio = medianOr(roundRatios.filter((x) => Number.isFinite(x)));
  const pairs = roundRatios.map((x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a'));
  const n = coldRounds.length;
  figures.push({
    label: 'Cold import, ours (worker start + open + import)',
    value: `${ms(oursMs)} (median of ${n}: ${coldRounds.map((r) => ms(r.totalMs)).join(', ')}; ${mbps.toFixed(0)} MB/s in the last)`,
    target: '≤ ccusage',
  });
  figures.push({
    label: 'Cold import, ccusage daily --json --offline',
    value: ccOk.length ? `${ms(ccMs)} (median of ${ccOk.length}: ${ccOk.map((r) => ms(r.wallMs)).join(', ')})` : `failed: ${cc.best.error}`,
  });
  const ccCpu = ccOk.filter((r) => r.cpuMs !== undefined).map((r) => r.cpuMs as number);
  figures.push({
    label: 'Cold import CPU time, ours / ccusage (medians)',
    value: `${ms(median(coldRounds.map((r) => r.cpuMs)))} / ${ccCpu.length ? ms(median(ccCpu)) : 'n/a'} (both use every core: ours the store's worker and a reader thread)`,
  });
  figures.push({
    label: 'Cold import ratio (ours / ccusage, the median of the rounds\' ratios)',
    value: Number.isFinite(ratio) ? `${ratio.toFixed(2)}× (round by round: ${pairs.join(', ')}; the medians' ratio: ${(oursMs / ccMs).toFixed(2)}×)` : 'n/a',
    target: '≤ 1.00×',
  });
  const deferred = cold.deferredIndexes;
  figures.push({
    label: 'Indexes deferred to the store\'s idle time after the import (a first import defers three: consumer, dedup key, cost)',
    value: deferred ? `${ms(deferred.buildMs)} to build, ready ${ms(deferred.readyAfterMs)} after the import ended (not in the import's time)` : 'none deferred',
  });
  verdicts.push({
    target: 'Cold import at least as fast as ccusage',
    pass: Number.isFinite(ratio) ? ratio <= 1 : null,
    detail: `ours ${ms(oursMs)} vs ccusage ${ms(ccMs)} on the same ${formatMb(corpus.totals.bytes)} (medians of ${n} alternating rounds; ${Number.isFinite(ratio) ? `${ratio.toFixed(2)}×, the median of the rounds' ratios` : 'no ratio'}` +
      `${deferred ? `; its deferred indexes built in ${ms(deferred.buildMs)} of the store's idle time afterwards` : ''})`,
  });

  // Correctness cross-checks (not targets, but a fast wrong importer is worthless)
  const ours = cold.all.tokens;
  const same = ccRun.totals && ccRun.totals.inputTokens === ours.input && ccRun.totals.outputTokens === ours.output &&
    ccRun.totals.cacheReadTokens === ours.cacheRead && ccRun.totals.cacheCreationTokens === ours.cacheWrite5m + ours.cacheWrite1h;
  figures.push({ label: 'Calls imported / in the corpus', value: `${count(cold.all.calls)} / ${count(corpus.totals.calls)}` });
  figures.push({ label: 'Token totals equal to ccusage\'s', value: ccRun.totals ? (same ? 'yes' : 'NO') : 'n/a' });
  if (cold.all.calls !== corpus.totals.calls) notes.push(`The import counted ${count(cold.all.calls)} calls; the generator wrote ${count(corpus.totals.calls)} unique calls.`);
  if (ccRun.totals && !same) {
    notes.push(`Token totals differ: ours input ${ours.input}, output ${ours.output}, cache write ${ours.cacheWrite5m + ours.cacheWrite1h}, cache read ${ours.cacheRead}; ` +
      `ccusage ${ccRun.totals.inputTokens}, ${ccRun.totals.outputTokens}, ${ccRun.totals.cacheCreationTokens}, ${ccRun.totals.cacheReadTokens}.`);
  }

  // Host thread
  figures.push({ label: 'Host event-loop delay during cold import (max / p99)', value: `${ms(cold.loop.maxMs)} / ${ms(cold.loop.p99Ms)}`, target: '< 50 ms' });
  if (cold.hostCpuMs !== undefined) {
    figures.push({ label: 'Host thread CPU time during cold import', value: `${ms(cold.hostCpuMs)} of ${ms(cold.ms)} wall (10 ms ticks)` });
  }
  figures.push({ label: 'Status-bar summaries read during the cold import (after each change, as the extension does)', value: count(cold.statusBarQueries) });
  figures.push({ label: 'Host event-loop delay during save at scale (max)', value: ms(scale.save.loop.maxMs), target: '< 50 ms' });
  figures.push({ label: 'Host event-loop delay, idle before the import (max / p99)', value: `${ms(cold.idleLoop.maxMs)} / ${ms(cold.idleLoop.p99Ms)}` });
  const hostMax = Math.max(cold.loop.maxMs, scale.save.loop.maxMs);
  verdicts.push({
    target: 'Host thread never blocked > 50 ms',
    pass: hostMax < 50,
    detail: `max delay ${ms(cold.loop.maxMs)} during the cold import, ${ms(scale.save.loop.maxMs)} during a save at ${count(scale.storedCalls)} calls ` +
      `(the same thread idle, before the import: ${ms(cold.idleLoop.maxMs)} — what this machine's other load adds` +
      `${cold.hostCpuMs !== undefined ? `; the host thread used ${ms(cold.hostCpuMs)} of CPU during the whole import` : ''})`,
  });

  // Re-scan and live append
  const rescanMedian = median(rescan.ms);
  figures.push({ label: 'Re-scan, nothing new (median of 5)', value: `${ms(rescanMedian)} (${count(rescan.last.files)} files, ${rescan.last.filesRead} read)`, target: '< 100 ms' });
  verdicts.push({ target: 'Re-scan with nothing new under 100 ms', pass: rescanMedian < 100, detail: `median ${ms(rescanMedian)} over ${count(rescan.last.files)} files` });
  const appendMedian = medianOr(append.visibleMs);
  const overDebounce = appendMedian - append.debounceMs;
  figures.push({
    label: `Appended line → summary() (median of ${append.visibleMs.length})`,
    value: append.error && !append.visibleMs.length ? `failed: ${append.error}` : `${ms(appendMedian)} = ${append.debounceMs} ms debounce + ${ms(overDebounce)}`,
    target: '< debounce + 100 ms',
  });
  verdicts.push({ target: 'One appended line reaches the store in under 100 ms plus the debounce', pass: Number.isFinite(overDebounce) ? overDebounce < 100 : false, detail: `${ms(overDebounce)} after the ${append.debounceMs} ms debounce${append.error ? ` (${append.error})` : ''}` });

  // Scale
  const dash = worstMedian({ ...scale.dashboardMs, ...scale.dashboardScopedMs });
  for (const [period, values] of Object.entries(scale.dashboardMs)) {
    figures.push({ label: `Dashboard ${period} at ${count(scale.storedCalls)} calls (median / max)`, value: `${ms(median(values))} / ${ms(Math.max(...values))}`, target: '< 50 ms' });
  }
  for (const [key, values] of Object.entries(scale.dashboardScopedMs)) {
    figures.push({ label: `Dashboard ${key} ("This workspace") at ${count(scale.storedCalls)} calls (median / max)`, value: `${ms(median(values))} / ${ms(Math.max(...values))}`, target: '< 50 ms' });
  }
  verdicts.push({ target: 'Dashboard refresh under 50 ms median at scale', pass: dash.ms < 50, detail: `slowest: ${dash.key}: ${ms(dash.ms)} median at ${count(scale.storedCalls)} calls (cards, series, sources, top consumers, models; all projects and "This workspace"; zone ${TIME_ZONE})` });
  const recFirst = median(scale.recordsFirstMs);
  const recLast = median(scale.recordsLastMs);
  figures.push({ label: `Records page, 30d + source + search, first page (median; ${count(scale.recordsTotal)} matches)`, value: ms(recFirst), target: '< 20 ms' });
  figures.push({ label: 'Records page, same query, last page (median)', value: ms(recLast), target: '< 20 ms' });
  const recCost = median(scale.recordsByCostMs);
  figures.push({ label: 'Records page, same query sorted by cost ("Most expensive calls"; median)', value: ms(recCost), target: '< 20 ms' });
  verdicts.push({ target: 'One records page with a source filter and search under 20 ms median', pass: Math.max(recFirst, recLast, recCost) < 20, detail: `first page ${ms(recFirst)}, last page ${ms(recLast)}, sorted by cost ${ms(recCost)}` });
  if (scale.topUp) {
    const rate = scale.topUp.recorded / (scale.topUp.ms / 1000);
    figures.push({ label: 'record() top-up throughput', value: `${count(rate)} calls/s (${count(scale.topUp.recorded)} calls, slowest batch of 5,000: ${ms(scale.topUp.slowestBatchMs)})` });
    notes.push(`The corpus holds ${count(corpus.totals.calls)} calls (realistic line sizes make ~${Math.round(corpus.totals.bytes / corpus.totals.calls / 1024)} KB per call); ` +
      `${count(scale.topUp.recorded)} synthetic calls over the same year were added through record() to reach ${count(scale.storedCalls)}.`);
  }

  // Save
  figures.push({ label: `Save after new calls at ${count(scale.storedCalls)} calls (in the worker)`, value: scale.save.saved ? `${ms(scale.save.ms)}, file ${mb(scale.fileBytes)}` : `not saved${scale.save.error ? `: ${scale.save.error}` : ''}`, target: 'off the host thread' });
  verdicts.push({
    target: 'Save is off the host thread and batched (time printed)',
    pass: scale.save.saved && scale.save.loop.maxMs < 50,
    detail: `the whole ${mb(scale.fileBytes)} file is rewritten in ${ms(scale.save.ms)} in the worker; host max delay meanwhile ${ms(scale.save.loop.maxMs)}`,
  });

  // Memory
  const workerCold = median(coldRounds.map((r) => r.workerPeak));
  const ccPeaks = ccOk.filter((r) => r.peakRss !== undefined).map((r) => r.peakRss as number);
  const ccPeak = ccPeaks.length ? median(ccPeaks) : undefined;
  const workerScale = scale.memory.rssPeak - opened.baselineRss;
  figures.push({ label: 'Peak RSS during cold import: process (host + worker)', value: `${mb(cold.memory.rssPeak)}; host heap ${mb(cold.memory.hostHeapPeak)}` });
  figures.push({ label: 'Peak RSS during cold import: worker (≈ process − host before start; median)', value: `${mb(workerCold)} (${coldRounds.map((r) => mb(r.workerPeak)).join(', ')})`, target: '< ccusage peak' });
  figures.push({ label: 'ccusage peak RSS (median)', value: ccPeak ? `${mb(ccPeak)} (${ccRun.peakFrom})` : 'n/a (install GNU time: apt-get install time)' });
  figures.push({ label: `Peak RSS at ${count(scale.storedCalls)} calls: process / worker`, value: `${mb(scale.memory.rssPeak)} / ${mb(workerScale)}; host heap ${mb(scale.memory.hostHeapPeak)}` });
  verdicts.push({
    target: 'Memory below ccusage\'s peak on the same corpus',
    pass: ccPeak ? workerCold < ccPeak : null,
    detail: `worker ≈ ${mb(workerCold)} during the cold import (${mb(workerScale)} at ${count(scale.storedCalls)} calls) vs ccusage ${ccPeak ? mb(ccPeak) : 'n/a'}`,
  });
  notes.push(`Memory: the worker is a thread of the measured process, so its share is the process's peak RSS minus the RSS before the worker started (${mb(opened.baselineRss)}, the bench host with tsx); ` +
    `the host thread's own share is its V8 heap. Peaks are the kernel's high-water mark (VmHWM, reset per phase)${cold.memory.exact ? '' : ' — here sampled every 50 ms, since VmHWM could not be reset'}.`);
  if (!hasGnuTime()) notes.push('GNU time (/usr/bin/time) is not installed: ccusage\'s peak RSS was sampled from /proc every 10 ms (apt-get install time gives the exact figure).');

  // Package
  if (m.vsix) {
    figures.push({ label: '.vsix size', value: m.vsix.bytes !== undefined ? mb(m.vsix.bytes) : `failed: ${m.vsix.error}`, target: '< 2 MB' });
    verdicts.push({ target: '.vsix under 2 MB', pass: m.vsix.bytes !== undefined ? m.vsix.bytes < 2 * (1 << 20) : null, detail: m.vsix.bytes !== undefined ? `${(m.vsix.bytes / 1024).toFixed(0)} KB` : m.vsix.error ?? 'not packaged' });
  }
  figures.push({ label: 'Store close (final save)', value: ms(m.close) });
  if (opened.logs.counts.warn + opened.logs.counts.error > 0) {
    notes.push(`The store logged ${opened.logs.counts.warn} warnings and ${opened.logs.counts.error} errors (the corpus has ${corpus.totals.malformedLines} torn lines on purpose); the first: ` +
      `${(opened.logs.samples[0] ?? '').split(corpus.configDir).join('<corpus>')}`);
  }
  return { figures, verdicts, notes };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack ?? e.message : String(e));
  // A store that failed half-way still has a live worker: do not wait for it.
  process.exit(1);
});
