/**
 * The first-run view (nothing recorded yet) and its quieter sibling (nothing in the chosen period): where the data
 * comes from and what to do next.
 */
import { isRollingPeriod, periodPhrase, type Period } from '../../shared/period';
import type { ImportStatus, SourcesInfo, WebviewCommand } from '../../shared/protocol';
import { createButton } from '../components';
import { h, iconOf, replaceChildren } from '../dom';
import { TestIds } from '../testIds';

export interface EmptyStateInput {
  period: Period;
  sources: SourcesInfo;
  importStatus: ImportStatus;
  /** Records stored in all, when the host says; undefined when unknown. */
  totalRecords: number | undefined;
  /** Set while scoped to the workspace: its name. */
  workspace?: string | null;
  /** The host's clock, for "this month" and custom range words. */
  now: number;
  timeZone: string;
}

export class EmptyStateView {
  readonly element: HTMLElement;

  constructor(
    private readonly onCommand: (command: WebviewCommand) => void,
    private readonly onShowAll: () => void,
  ) {
    this.element = h('section', { class: 'empty-state', testId: TestIds.empty, hidden: true, 'aria-live': 'polite' });
  }

  update(e: EmptyStateInput): void {
    const firstRun = e.totalRecords === 0;
    const scoped = e.workspace !== undefined;
    const where = scoped ? ` in ${e.workspace ?? 'this workspace'}` : '';
    const title = e.importStatus.running
      ? 'Importing your Claude Code history…'
      : firstRun
        ? 'No Claude usage recorded yet'
        : `No Claude calls${where} in ${periodPhrase(e.period, e.now, e.timeZone)}`;
    const lead = e.importStatus.running
      ? 'Calls appear here as they are imported. The dashboard stays usable meanwhile.'
      : firstRun
        ? 'Claude Usage records every Claude API call made from this editor and prices it. Calls show up here as they happen.'
        : scoped
          ? 'Only calls made in this workspace’s folders are shown. Show all to see the calls of every project.'
          : e.period === '30d' || !isRollingPeriod(e.period)
            ? 'Claude Usage records every Claude API call made from this editor. New calls show up here as they happen.'
            : 'Claude Usage records every Claude API call made from this editor. New calls show up here as they happen; choose a longer period above to see earlier ones.';

    const dirs = e.sources.claudeDirs;
    const dirList =
      dirs.length > 0
        ? h('ul', { class: 'dir-list', testId: TestIds.emptyClaudeDirs }, ...dirs.map((d) => h('li', {}, h('code', {}, d))))
        : h('p', { class: 'muted-note', testId: TestIds.emptyClaudeDirs }, 'No Claude Code folder was found. Add one in the settings if yours is elsewhere.');

    const source = (heading: string, ...body: (Node | string)[]) => h('li', { class: 'source-item' }, h('h3', {}, heading), ...body);

    replaceChildren(
      this.element,
      h('div', { class: 'empty-icon' }, iconOf('chart')),
      h('h2', { class: 'empty-title' }, title),
      h('p', { class: 'empty-lead' }, lead),
      h(
        'ol',
        { class: 'source-items', 'aria-label': 'Where the data comes from' },
        source('Claude Code transcripts', h('p', {}, 'Conversations and agents in Claude Code’s panel or terminal, read from its transcripts in:'), dirList),
        source('Other extensions', h('p', {}, 'Extensions that make Claude calls can record them through the Claude Usage API.')),
        source(
          'Recording proxy',
          h(
            'p',
            {},
            e.sources.proxyEnabled
              ? 'On: SDK scripts and tools in the integrated terminal are recorded through the local proxy.'
              : 'Off: turn it on in the settings to record SDK scripts and tools that you run in the integrated terminal.',
          ),
        ),
      ),
      h(
        'div',
        { class: 'empty-actions' },
        scoped && !firstRun
          ? createButton({ label: 'Show all workspaces', appearance: 'primary', start: iconOf('folder'), testId: TestIds.emptyShowAll, onClick: () => this.onShowAll() }).element
          : null,
        createButton({ label: 'Rescan transcripts', appearance: scoped && !firstRun ? 'secondary' : 'primary', start: iconOf('refresh'), testId: TestIds.emptyRescan, onClick: () => this.onCommand('rescan') }).element,
        createButton({ label: 'Open settings', start: iconOf('settings'), testId: TestIds.emptyOpenSettings, onClick: () => this.onCommand('openSettings') }).element,
        createButton({ label: 'Show log', start: iconOf('output'), testId: TestIds.emptyShowLog, onClick: () => this.onCommand('showLog') }).element,
      ),
    );
  }
}
