/** Display formatting shared by the status bar, the webview and the CLI. */

/** 1,500,000 → "1.5M", 45,000 → "45.0K", 999 → "999". */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  // Thresholds sit where one decimal would round up to 1000 of the smaller unit: 999,950 reads "1.0M", not "1000.0K".
  if (abs >= 999_950_000) return `${(n / 1e9).toFixed(1)}B`;
  if (abs >= 999_950) return `${(n / 1e6).toFixed(1)}M`;
  if (abs >= 999.5) return `${(n / 1e3).toFixed(1)}K`;
  return String(Math.round(n));
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}

/** 850 → "850 ms", 12_400 → "12.4 s", 125_000 → "2m 5s"; unknown → "—". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  // Thresholds sit where rounding would show "1000 ms" or "60.0 s".
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return h > 0 ? `${h}h ${m}m` : `${m}m ${s}s`;
}

/** "just now", "3 min ago", "2 h ago", "5 days ago"; future times (clock skew) read "just now". */
export function formatRelativeTime(ts: number, now: number): string {
  const diff = now - ts;
  if (!Number.isFinite(diff) || diff < 45_000) return 'just now';
  const minutes = Math.round(diff / 60_000);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(diff / 3_600_000);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(diff / 86_400_000);
  if (days < 60) return days === 1 ? '1 day ago' : `${days} days ago`;
  const months = Math.round(days / 30);
  return months < 24 ? `${months} months ago` : `${Math.round(days / 365)} years ago`;
}

/** "41–60 of 1,234" (1-based page). */
export function formatPageLabel(page: number, pageSize: number, total: number): string {
  if (total <= 0) return '0 of 0';
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`;
}

/** "42%"; shares under 1% but above 0 read "<1%". */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0%';
  const pct = (part / whole) * 100;
  if (pct < 1) return '<1%';
  return `${Math.round(pct)}%`;
}
