/** Import progress: a thin bar under the navbar and a short text beside the period buttons. */
import { formatCount } from '../../shared/format';
import type { ImportStatus } from '../../shared/protocol';
import { createProgressBar, type ProgressBarHandle } from '../components';
import { h, setText } from '../dom';
import { TestIds } from '../testIds';

export function importStatusText(s: ImportStatus): string {
  const files = s.filesTotal > 0 ? `${formatCount(s.filesDone)} / ${formatCount(s.filesTotal)} files` : 'looking for transcripts';
  return `Importing Claude Code history… ${files} · ${formatCount(s.calls)} calls`;
}

export class ImportStatusView {
  readonly bar: HTMLElement;
  readonly text: HTMLElement;
  private readonly progress: ProgressBarHandle;

  constructor() {
    this.progress = createProgressBar('Import progress', TestIds.importStatus);
    this.bar = h('div', { class: 'import-bar-slot' }, this.progress.element);
    this.text = h('span', { class: 'import-text', testId: TestIds.importStatusText, role: 'status' });
    this.update({ running: false, filesDone: 0, filesTotal: 0, calls: 0 });
  }

  update(s: ImportStatus): void {
    this.progress.element.hidden = !s.running;
    this.text.hidden = !s.running;
    if (!s.running) {
      setText(this.text, '');
      return;
    }
    this.progress.setFraction(s.filesTotal > 0 ? s.filesDone / s.filesTotal : null);
    setText(this.text, importStatusText(s));
  }
}
