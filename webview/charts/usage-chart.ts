// One figure per container: a line chart each for CPU and memory (and throttling when cAdvisor has it),
// drawn by uPlot on canvas, with uPlot's cursor and live legend for hover values, and the same content in
// words for screen readers. Used by the approval panel, the details panel and the HTML report. Every label
// is a fixed string from chart-model.ts; names reach the page only as text nodes.
import uPlot from 'uplot';
import './charts.css';
import type { UsageChart } from '../../src/extension/approval/panel-protocol.js';
import { element } from '../shared/dom.js';
import { containerCharts, type ChartModel } from './chart-model.js';
import { chartSummary } from './chart-summary.js';
import { readChartTheme, watchTheme, type ChartTheme } from './chart-theme.js';
import { formatAmount, formatTick } from './units.js';

const HEIGHT = { cpu: 170, memory: 170, throttling: 140 };
const MIN_WIDTH = 280;

interface Plot {
  model: ChartModel;
  host: HTMLElement;
  chart?: uPlot;
}

function options(model: ChartModel, theme: ChartTheme, width: number): uPlot.Options {
  const axis = {
    stroke: theme.foreground,
    font: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  };
  const markers = model.markers;
  return {
    width,
    height: HEIGHT[model.kind],
    scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [axis, { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatTick(v, model.unit)) }],
    series: [
      {},
      ...model.lines.map((line): uPlot.Series => {
        const stroke = theme.line[line.role];
        const marker = line.role === 'oom';
        return {
          label: line.label,
          stroke,
          width: line.role === 'proposedRequest' || line.role === 'usage' ? theme.width + 0.5 : theme.width,
          ...(theme.dash[line.role] ? { dash: theme.dash[line.role]! } : {}),
          value: (_u, v) => (v === null || v === undefined ? '—' : formatAmount(v, model.unit)),
          points: marker ? { show: true, size: 9, stroke, fill: stroke } : { show: false },
          ...(marker ? { paths: () => null } : {}),
        };
      }),
    ],
    legend: { show: true, live: true },
    hooks: markers.length > 0 ? { draw: [(u: uPlot) => drawMarkers(u, markers, theme.line.oom)] } : {},
  };
}

/** A vertical line at each OOM kill across the plotting area. */
function drawMarkers(u: uPlot, times: number[], color: string): void {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = Math.max(1, devicePixelRatio);
  ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
  for (const time of times) {
    const x = Math.round(u.valToPos(time, 'x', true));
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * Container figures whose charts are drawn once they are in the page (uPlot measures its host): call
 * `mount()` after inserting `figures`, `dispose()` when replacing them.
 */
export class UsageCharts {
  readonly figures: HTMLElement[];
  private readonly plots: Plot[] = [];
  private stopWatching = (): void => {};
  private redrawFrame = 0;
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(charts: readonly UsageChart[], heading: (chart: UsageChart) => string | null) {
    this.figures = charts.map((chart) => this.figure(chart, heading(chart)));
  }

  private figure(chart: UsageChart, heading: string | null): HTMLElement {
    const models = containerCharts(chart);
    const summary = element('p', 'sr-summary', chartSummary(chart));
    const plots = models.map((model) => {
      const host = element('div', `chart-plot chart-${model.kind}`);
      // The canvas says nothing to a screen reader; the summary above says it all.
      host.setAttribute('aria-hidden', 'true');
      this.plots.push({ model, host });
      return element('div', 'chart', element('h4', 'chart-title', model.title), host);
    });
    const empty = models.length === 0 && element('p', 'chart-empty', 'No usage recorded in this window.');
    const signals = chart.history.signals.atRisk && signalList(chart.history.signals.reasons);
    return element(
      'figure',
      'usage-figure',
      heading !== null && element('figcaption', null, heading),
      summary,
      signals,
      empty,
      ...plots,
    );
  }

  mount(): void {
    this.draw();
    for (const plot of this.plots) this.resize.observe(plot.host);
    // A theme switch changes several attributes at once: one redraw, on the next frame.
    this.stopWatching = watchTheme(() => {
      cancelAnimationFrame(this.redrawFrame);
      this.redrawFrame = requestAnimationFrame(() => this.draw());
    });
  }

  dispose(): void {
    this.stopWatching();
    cancelAnimationFrame(this.redrawFrame);
    this.resize.disconnect();
    for (const plot of this.plots) plot.chart?.destroy();
  }

  /** (Re)creates every chart with the current theme's colours. */
  private draw(): void {
    const theme = readChartTheme();
    for (const plot of this.plots) {
      plot.chart?.destroy();
      const { model } = plot;
      const data = [model.x, ...model.lines.map((l) => l.values)] as uPlot.AlignedData;
      plot.chart = new uPlot(options(model, theme, widthOf(plot.host)), data, plot.host);
    }
  }

  private fit(): void {
    for (const plot of this.plots) {
      const width = widthOf(plot.host);
      if (plot.chart && Math.abs(plot.chart.width - width) > 1)
        plot.chart.setSize({ width, height: HEIGHT[plot.model.kind] });
    }
  }
}

function widthOf(host: HTMLElement): number {
  return Math.max(MIN_WIDTH, Math.floor(host.clientWidth));
}

function signalList(reasons: string[]): HTMLElement {
  return element('div', 'chart-signals', element('strong', null, 'At risk already: '), reasons.join(' '));
}
