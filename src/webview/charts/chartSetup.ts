/** Registers only the chart.js parts the dashboard draws (keeps the bundle small) and applies theme defaults. */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ThemeColors } from '../theme';

let registered = false;

export function setupCharts(): void {
  if (registered) return;
  registered = true;
  Chart.register(BarController, LineController, DoughnutController, BarElement, LineElement, PointElement, ArcElement, CategoryScale, LinearScale, Tooltip, Filler);
}

export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function applyChartDefaults(theme: ThemeColors): void {
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = 11;
}

/** Tooltip colours that follow the editor's hover widget rather than chart.js's black box. */
export function tooltipTheme(theme: ThemeColors, style: CSSStyleDeclaration = getComputedStyle(document.body)) {
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    backgroundColor: v('--vscode-editorHoverWidget-background', theme.background),
    titleColor: v('--vscode-editorHoverWidget-foreground', theme.foreground),
    bodyColor: v('--vscode-editorHoverWidget-foreground', theme.foreground),
    borderColor: v('--vscode-editorHoverWidget-border', theme.border),
    borderWidth: 1,
    padding: 8,
    cornerRadius: 3,
    displayColors: false,
  };
}

export { Chart };
