/**
 * The one protocol between the extension host and the dashboard webview. Both sides import this file and switch
 * exhaustively on `type`.
 *
 * Flow: the webview posts `ready`; the host answers with a full `snapshot`; afterwards the host posts small
 * `dataChanged` / `periodChanged` / `importStatus` updates and the webview asks for what it shows with `request`s,
 * each answered by one `reply` carrying either a result or an error.
 */
import type { DashboardData, DashboardRequest, RecordsPage, RecordsRequest, Scope } from './queries';
import type { Period } from './period';

/** How the user pays: per token (API key) or by a Pro/Max subscription, whose costs are API-equivalent. */
export type Billing = 'api' | 'subscription';

export type ExportFormat = 'csv' | 'json';

/** The open workspace, for the "This workspace" scope. */
export interface WorkspaceInfo {
  /** The workspace's name (VS Code's title for it), null when no folder is open. */
  name: string | null;
  /** Open folders; 0 means "This workspace" has nothing to match. */
  folders: number;
}

/** Request kinds and what each answers. */
export interface RequestMap {
  dashboard: { params: DashboardRequest; result: DashboardData };
  records: { params: RecordsRequest; result: RecordsPage };
}
export type RequestKind = keyof RequestMap;

export type HostRequest = { [K in RequestKind]: { kind: K; params: RequestMap[K]['params'] } }[RequestKind];

export interface ImportStatus {
  /** True while the first (history) import or a large catch-up runs. */
  running: boolean;
  filesDone: number;
  filesTotal: number;
  calls: number;
}

/** Where data comes from, for the first-run view. */
export interface SourcesInfo {
  /** Claude Code config directories searched for transcripts. */
  claudeDirs: string[];
  proxyEnabled: boolean;
}

export interface Snapshot {
  period: Period;
  /** Host clock at snapshot time, for relative times. */
  now: number;
  /** Increases whenever stored data changes. */
  revision: number;
  dashboard: DashboardData;
  records: RecordsPage;
  importStatus: ImportStatus;
  sources: SourcesInfo;
  /** What the recorded costs mean: API prices, or API-equivalent for subscription users. */
  costLabel: string;
  /**
   * Records stored in all (any time), when the host knows it. Optional (added for the webview's first-run view):
   * 0 means "nothing recorded yet", telling a first run apart from a quiet period.
   */
  totalRecords?: number;
  /** The scope the data was read in (absent = all). */
  scope?: Scope;
  workspace?: WorkspaceInfo;
  /** Absent = api. */
  billing?: Billing;
}

// ---- webview → host ----
export type WebviewMessage =
  | { type: 'ready'; timeZone: string; ui: WebviewUiState }
  | { type: 'request'; id: number; request: HostRequest }
  | { type: 'setPeriod'; period: Period }
  | { type: 'setScope'; scope: Scope }
  /** Save the records of the current view (period, scope, filter, search, sort) to a file the user picks. */
  | { type: 'export'; format: ExportFormat; request: RecordsRequest }
  | { type: 'command'; command: WebviewCommand };

export type WebviewCommand = 'showLog' | 'openSettings' | 'rescan';

// ---- host → webview ----
export type Reply =
  | { [K in RequestKind]: { type: 'reply'; inReplyTo: number; ok: true; kind: K; result: RequestMap[K]['result'] } }[RequestKind]
  | { type: 'reply'; inReplyTo: number; ok: false; error: string };

export type HostMessage =
  | { type: 'snapshot'; snapshot: Snapshot }
  | Reply
  | { type: 'dataChanged'; revision: number; now: number }
  | { type: 'periodChanged'; period: Period }
  | { type: 'scopeChanged'; scope: Scope; workspace: WorkspaceInfo }
  /** The billing setting changed: costs are (no longer) API-equivalent. */
  | { type: 'billingChanged'; billing: Billing; costLabel: string }
  | { type: 'importStatus'; status: ImportStatus }
  /** The host could not answer something the page did not ask for by id (e.g. the snapshot after `ready`). */
  | { type: 'error'; message: string };

/** Persisted webview UI state (`vscode.getState`/`setState`) and the panel serializer's state. */
export interface WebviewUiState {
  granularity: DashboardRequest['granularity'] | null;
  chartType: 'line' | 'bar';
  topBy: DashboardRequest['topBy'];
  /** The by-model chart's measure (absent = cost). */
  modelBy?: DashboardRequest['topBy'];
  records: Omit<RecordsRequest, 'period' | 'scope'>;
}
