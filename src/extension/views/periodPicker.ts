/** The "Select Period" command's pickers: the presets, and a custom range typed as two dates. */
import * as vscode from 'vscode';
import {
  addDays, customPeriod, isLocalDate, localDate, parseCustomPeriod, periodShortLabel, periodTitle, PRESET_PERIODS, type Period,
} from '../../shared/period';

const CUSTOM = 'custom';

export async function pickPeriod(current: Period): Promise<Period | undefined> {
  const now = Date.now();
  const items: Array<vscode.QuickPickItem & { value: string }> = PRESET_PERIODS.map((p) => ({
    label: p === 'month' ? 'This month' : p,
    description: periodTitle(p, now),
    picked: p === current,
    value: p,
  }));
  items.push({
    label: 'Custom range…',
    description: parseCustomPeriod(current) ? periodShortLabel(current, now) : 'from one day to another',
    picked: current.startsWith('custom:'),
    value: CUSTOM,
  });
  const pick = await vscode.window.showQuickPick(items, { title: 'Claude Usage period' });
  if (!pick) return undefined;
  if (pick.value !== CUSTOM) return pick.value as Period;
  return pickCustomRange(current, now);
}

async function pickCustomRange(current: Period, now: number): Promise<Period | undefined> {
  const today = localDate(now, Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const previous = parseCustomPeriod(current);
  const validate = (v: string) => (isLocalDate(v.trim()) ? undefined : 'A date as YYYY-MM-DD, e.g. 2026-11-01');
  const from = await vscode.window.showInputBox({
    title: 'Custom range: first day',
    value: previous?.from ?? addDays(today, -6),
    prompt: 'First day (included), YYYY-MM-DD',
    validateInput: validate,
  });
  if (from === undefined) return undefined;
  const to = await vscode.window.showInputBox({
    title: 'Custom range: last day',
    value: previous?.to ?? today,
    prompt: 'Last day (included), YYYY-MM-DD',
    validateInput: validate,
  });
  if (to === undefined) return undefined;
  return customPeriod(from.trim(), to.trim());
}
