/**
 * The only file that knows which toolkit is behind our components. @vscode/webview-ui-toolkit is no longer maintained
 * upstream; replacing it means rewriting this folder and nothing else. Only the elements we use are registered, so
 * the bundle carries no others.
 *
 * Not used on purpose: `vscode-badge` and `vscode-progress-ring`, whose templates carry `style="…"` attributes that
 * the panel's CSP (no 'unsafe-inline') blocks; badge.ts and progress.ts draw those with our stylesheet instead.
 */
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeTextField } from '@vscode/webview-ui-toolkit';

let registered = false;

export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeTextField());
}
