/**
 * Colours for the canvases, read from the theme's CSS variables and re-read when VS Code switches theme (it swaps the
 * body's `vscode-light` / `vscode-dark` / `vscode-high-contrast` classes and the variables with them).
 *
 * Source colours are defined once, in media/dashboard.css (`.source-chat { --source-color: … }`), and read back here from
 * probe elements, so badges, legend swatches and donut slices cannot drift apart.
 */
import { SOURCES, type Source } from '../shared/callRecord';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface ThemeColors {
  kind: ThemeKind;
  source: Record<Source, string>;
  /** The cost series of the time chart. */
  cost: string;
  /** Token bars (by model). */
  tokens: string;
  /** Money saved (prompt caching). */
  saved: string;
  foreground: string;
  muted: string;
  grid: string;
  /** Panel background, used for slice borders so adjacent slices separate. */
  background: string;
  /** Border of the tooltip, and everything in high contrast. */
  border: string;
  fontFamily: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function themeKind(body: HTMLElement = document.body): ThemeKind {
  const c = body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

function readSourceColors(): Record<Source, string> {
  const host = document.createElement('div');
  host.className = 'source-probes';
  host.setAttribute('aria-hidden', 'true');
  const probes = SOURCES.map((s) => {
    const span = document.createElement('span');
    span.className = `source-${s} source-probe`;
    host.appendChild(span);
    return span;
  });
  document.body.appendChild(host);
  const out = {} as Record<Source, string>;
  SOURCES.forEach((s, i) => {
    // `color` is set to var(--source-color) for probes: the computed value is a resolved rgb() the canvas understands.
    out[s] = getComputedStyle(probes[i]).color || '#888888';
  });
  host.remove();
  return out;
}

export function readTheme(): ThemeColors {
  const style = getComputedStyle(document.body);
  const kind = themeKind();
  const hc = kind === 'high-contrast' || kind === 'high-contrast-light';
  const foreground = cssVar(style, '--vscode-charts-foreground', cssVar(style, '--vscode-foreground', '#cccccc'));
  const contrastBorder = cssVar(style, '--vscode-contrastBorder', '');
  return {
    kind,
    source: readSourceColors(),
    cost: cssVar(style, '--vscode-charts-green', '#89d185'),
    tokens: cssVar(style, '--vscode-charts-yellow', '#cca700'),
    saved: cssVar(style, '--vscode-charts-green', '#89d185'),
    foreground,
    muted: cssVar(style, '--vscode-descriptionForeground', foreground),
    grid: hc && contrastBorder ? contrastBorder : cssVar(style, '--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    background: cssVar(style, '--vscode-editor-background', '#1e1e1e'),
    border: contrastBorder || cssVar(style, '--vscode-widget-border', cssVar(style, '--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
  };
}

/**
 * Calls `listener` after each theme switch; returns a stop function. VS Code swaps the body class between kinds, and
 * between two themes of one kind changes only `data-vscode-theme-id` and the variables on <html>'s style, so all
 * three are watched; a switch that changes none of the colours we use is not reported.
 */
export function onThemeChange(listener: (theme: ThemeColors) => void): () => void {
  let last = JSON.stringify(readTheme());
  let pending = false;
  const check = () => {
    pending = false;
    const theme = readTheme();
    const signature = JSON.stringify(theme);
    if (signature === last) return;
    last = signature;
    listener(theme);
  };
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(check);
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id', 'data-vscode-theme-kind', 'data-vscode-theme-name'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => observer.disconnect();
}

/** `rgb(1, 2, 3)` or `#rrggbb` with an alpha, for fills under lines. */
export function withAlpha(color: string, alpha: number): string {
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(color);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  const hex = /^#([0-9a-f]{6})/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return color;
}
