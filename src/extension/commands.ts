/** Command ids, in one place: package.json `contributes.commands` uses the same strings. */
export const Commands = {
  openDashboard: 'claudeUsage.openDashboard',
  rescan: 'claudeUsage.rescan',
  reprice: 'claudeUsage.reprice',
  showLog: 'claudeUsage.showLog',
  selectPeriod: 'claudeUsage.selectPeriod',
  selectScope: 'claudeUsage.selectScope',
  exportRecords: 'claudeUsage.exportRecords',
} as const;

export const VIEW_TYPE_DASHBOARD = 'claudeUsage.dashboard';
export const STATUS_BAR_ITEM_ID = 'claudeUsage.cost';
export const PERIOD_STATE_KEY = 'claudeUsage.period';
/** Per workspace (workspaceState): All or This workspace. */
export const SCOPE_STATE_KEY = 'claudeUsage.scope';
