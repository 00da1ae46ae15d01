/**
 * WCAG contrast of on-screen text against the background it is drawn on (the first opaque ancestor background,
 * with translucent layers blended in), measured in the page.
 */
import type { Page } from 'playwright-core';

export interface ContrastSample {
  selector: string;
  text: string;
  ratio: number;
}

// Plain JavaScript evaluated in the page: tsx would wrap named helpers of a TypeScript function in `__name(...)`,
// which does not exist there.
const MEASURE = String.raw`(selectors) => {
  function parse(c) {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  function over(top, bottom) {
    const a = top[3];
    return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
  }
  function lum(c) {
    const ch = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  }
  function background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let color = [255, 255, 255, 1];
    for (const layer of layers.reverse()) color = over(layer, color);
    return color;
  }
  return selectors.map((selector) => {
    const el = document.querySelector(selector);
    if (!el) return { selector, text: '(missing)', ratio: 0 };
    const bg = background(el);
    const fg = over(parse(getComputedStyle(el).color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return { selector, text: (el.textContent || '').trim().slice(0, 40), ratio: Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100 };
  });
}`;

export function measureContrast(page: Page, selectors: string[]): Promise<ContrastSample[]> {
  return page.evaluate(`(${MEASURE})(${JSON.stringify(selectors)})`) as Promise<ContrastSample[]>;
}
