/** The one handle on the webview host API; `acquireVsCodeApi` may be called only once per page. */
import type { WebviewMessage, WebviewUiState } from '../shared/protocol';

export interface HostChannel {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: WebviewUiState): void;
}

export function acquireHostChannel(): HostChannel {
  const api = acquireVsCodeApi<WebviewUiState>();
  return {
    postMessage: (message) => api.postMessage(message),
    getState: () => api.getState(),
    setState: (state) => {
      api.setState(state);
    },
  };
}
