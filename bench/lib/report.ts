/** The bench's output: a table of figures, a verdict line per target, and bench/RESULTS.md for the README. */

export interface Figure {
  /** What was measured. */
  label: string;
  /** The measured value, formatted. */
  value: string;
  /** The target for it, formatted ('' when the figure is context, not a target). */
  target?: string;
}

export interface Verdict {
  target: string;
  pass: boolean | null;
  /** One sentence with the figures behind the verdict. */
  detail: string;
}

export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.label, f.value, f.target ?? '']);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length), ['Measure', 'Figure', 'Target'][c].length));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(['Measure', 'Figure', 'Target']), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function verdictLine(v: Verdict): string {
  const tag = v.pass === null ? 'N/A ' : v.pass ? 'PASS' : 'MISS';
  return `${tag}  ${v.target}: ${v.detail}`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export interface ResultsDoc {
  date: string;
  command: string;
  machine: string;
  corpus: string;
  figures: readonly Figure[];
  verdicts: readonly Verdict[];
  notes: readonly string[];
}

export function resultsMarkdown(doc: ResultsDoc): string {
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push(`Latest run: ${doc.date}, \`${doc.command}\`.`, '');
  out.push(`Machine: ${doc.machine}.`, '');
  out.push(`Corpus: ${doc.corpus}.`, '');
  out.push('| Measure | Figure | Target |', '|---|---|---|');
  for (const f of doc.figures) out.push(`| ${mdEscape(f.label)} | ${mdEscape(f.value)} | ${mdEscape(f.target ?? '')} |`);
  out.push('', '## Verdicts', '');
  for (const v of doc.verdicts) {
    const tag = v.pass === null ? 'n/a' : v.pass ? '**pass**' : '**miss**';
    out.push(`- ${tag} — ${mdEscape(v.target)}: ${v.detail}`);
  }
  if (doc.notes.length) {
    out.push('', '## Notes', '');
    for (const n of doc.notes) out.push(`- ${n}`);
  }
  out.push('');
  return out.join('\n');
}
