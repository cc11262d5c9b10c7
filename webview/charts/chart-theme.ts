// The charts' colours come from the VS Code theme (light, dark, high contrast) through its CSS variables;
// the HTML report, outside VS Code, defines the same variables in its own stylesheet. Canvas strokes cannot
// use var(), so the values are read here and the charts are redrawn when the theme changes.
import type { LineRole } from './chart-model.js';

export interface ChartTheme {
  line: Record<LineRole, string>;
  dash: Partial<Record<LineRole, number[]>>;
  foreground: string;
  grid: string;
  font: string;
  width: number;
}

/** VS Code's dark defaults, for a variable a theme leaves empty. */
const FALLBACK: Record<string, string> = {
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-foreground': '#cccccc',
  '--vscode-charts-lines': 'rgba(204, 204, 204, 0.5)',
  '--vscode-font-family': 'system-ui, sans-serif',
};

function variable(style: CSSStyleDeclaration, name: string): string {
  return style.getPropertyValue(name).trim() || FALLBACK[name] || '';
}

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const color = (name: string) => variable(style, `--vscode-charts-${name}`);
  // High contrast themes want lines that stand out from anything near them.
  const highContrast =
    document.body.classList.contains('vscode-high-contrast') ||
    document.body.classList.contains('vscode-high-contrast-light');
  return {
    line: {
      usage: color('blue'),
      strategy: color('purple'),
      currentRequest: color('yellow'),
      currentLimit: color('orange'),
      proposedRequest: color('green'),
      proposedLimit: color('green'),
      threshold: color('red'),
      oom: color('red'),
    },
    // Dashes tell "now" from "proposed" and request from limit without relying on colour alone.
    dash: { currentRequest: [6, 4], currentLimit: [2, 3], proposedLimit: [10, 4], threshold: [4, 4] },
    foreground: color('foreground'),
    grid: color('lines'),
    font: `12px ${variable(style, '--vscode-font-family')}`,
    width: highContrast ? 2.5 : 1.5,
  };
}

/**
 * Calls `onChange` when VS Code switches themes: it sets the variables on the root element's style and
 * names the theme on the body (its class says light, dark or high contrast; two dark themes differ only
 * in `data-vscode-theme-id`).
 */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'],
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
