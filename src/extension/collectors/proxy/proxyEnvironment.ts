/**
 * Points integrated terminals at the recording proxy through `ANTHROPIC_BASE_URL`, which the official SDKs, Claude
 * Code and many other tools read. The extension passes VS Code's EnvironmentVariableCollection; this stays vscode-free.
 */

export const BASE_URL_VARIABLE = 'ANTHROPIC_BASE_URL';

export interface EnvironmentCollection {
  replace(name: string, value: string): void;
  delete(name: string): void;
  description?: unknown;
}

/** Sets the variable (with a visible note) when the proxy runs, removes both when it does not. */
export function applyProxyEnvironment(collection: EnvironmentCollection, proxyUrl: string | undefined): void {
  if (proxyUrl) {
    collection.replace(BASE_URL_VARIABLE, proxyUrl);
    collection.description =
      `Claude Usage: ${BASE_URL_VARIABLE}=${proxyUrl} so Claude API calls made from this terminal are recorded ` +
      '(the local proxy forwards them unchanged to the Anthropic API).';
  } else {
    collection.delete(BASE_URL_VARIABLE);
    collection.description = undefined;
  }
}
