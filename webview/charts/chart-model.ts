// What each chart draws, decided without a browser: the usage series, the value the strategy took from it
// (percentile or peak), the current and proposed request and limit as flat lines, and the OOM kills as
// markers. The renderer (usage-chart.ts) only maps these to uPlot and the theme's colours. Pure: tested in Node.
import type { ProposedLines, UsageChart } from '../../src/extension/approval/panel-protocol.js';
import type { Unit } from './units.js';

export type LineRole =
  | 'usage'
  | 'strategy'
  | 'currentRequest'
  | 'currentLimit'
  | 'proposedRequest'
  | 'proposedLimit'
  | 'threshold'
  | 'oom';

export interface ChartLine {
  role: LineRole;
  /** Built here from fixed words and numbers, never from names: uPlot's legend shows it. */
  label: string;
  /** One value per x; null where the line has no point (markers). */
  values: Array<number | null>;
}

export interface ChartModel {
  kind: 'cpu' | 'memory' | 'throttling';
  /** Fixed text for the chart's caption. */
  title: string;
  unit: Unit;
  /** Unix seconds. */
  x: number[];
  lines: ChartLine[];
  /** Times to mark with a vertical line (OOM kills), unix seconds. */
  markers: number[];
}

/** THROTTLING_THRESHOLD of src/core/evidence/usage-history-model.ts (the page may not import the core). */
export const THROTTLING_THRESHOLD = 0.25;

const flat = (x: number[], value: number) => x.map(() => value);

type Resource = 'cpu' | 'memory';

/** Current and proposed request and limit lines; a proposal equal to the current amount adds no line. */
function resourceLines(chart: UsageChart, resource: Resource, x: number[]): ChartLine[] {
  const { current } = chart.history;
  const lines: ChartLine[] = [];
  const add = (role: LineRole, label: string, value: number | null | undefined) => {
    if (typeof value === 'number') lines.push({ role, label, values: flat(x, value) });
  };
  add('currentRequest', 'request now', current.requests[resource]);
  add('currentLimit', 'limit now', current.limits[resource]);
  add('proposedRequest', 'request proposed', changed(chart.proposed, 'requests', resource, current));
  add('proposedLimit', 'limit proposed', changed(chart.proposed, 'limits', resource, current));
  return lines;
}

function changed(
  proposed: ProposedLines,
  which: 'requests' | 'limits',
  resource: Resource,
  current: UsageChart['history']['current'],
): number | null | undefined {
  const value = proposed[which][resource];
  return value === current[which][resource] ? undefined : value;
}

export function cpuChart(chart: UsageChart): ChartModel | null {
  const { series, percentile, percentileValue } = chart.history.cpu;
  if (series.length === 0) return null;
  const x = series.map(([t]) => t);
  const lines: ChartLine[] = [{ role: 'usage', label: 'CPU used', values: series.map(([, v]) => v) }];
  if (percentileValue !== null)
    lines.push({ role: 'strategy', label: `p${percentile}`, values: flat(x, percentileValue) });
  return {
    kind: 'cpu',
    title: 'CPU (cores)',
    unit: 'cores',
    x,
    lines: [...lines, ...resourceLines(chart, 'cpu', x)],
    markers: [],
  };
}

export function memoryChart(chart: UsageChart): ChartModel | null {
  const { series, peak } = chart.history.memory;
  if (series.length === 0) return null;
  const x = series.map(([t]) => t);
  const usage = series.map(([, v]) => v);
  const lines: ChartLine[] = [{ role: 'usage', label: 'memory used', values: usage }];
  if (peak !== null) lines.push({ role: 'strategy', label: 'peak', values: flat(x, peak) });
  lines.push(...resourceLines(chart, 'memory', x));
  const kills = chart.history.oomKills.filter((t) => t >= x[0]! && t <= x.at(-1)!);
  if (kills.length > 0) lines.push({ role: 'oom', label: 'OOM kill', values: markerValues(x, usage, kills) });
  return { kind: 'memory', title: 'Memory', unit: 'bytes', x, lines, markers: kills };
}

/** Share of CFS periods throttled, with the threshold above which the container counts as throttled. */
export function throttlingChart(chart: UsageChart): ChartModel | null {
  const throttling = chart.history.throttling;
  if (!throttling || throttling.series.length === 0) return null;
  const x = throttling.series.map(([t]) => t);
  return {
    kind: 'throttling',
    title: 'CPU throttling (share of periods)',
    unit: 'share',
    x,
    lines: [
      { role: 'usage', label: 'throttled', values: throttling.series.map(([, v]) => v) },
      { role: 'threshold', label: 'throttled above', values: flat(x, THROTTLING_THRESHOLD) },
    ],
    markers: [],
  };
}

/** A point at the sample nearest each kill, at the usage there: hovering it shows the kill in the legend. */
function markerValues(x: number[], usage: number[], times: number[]): Array<number | null> {
  const values: Array<number | null> = x.map(() => null);
  for (const time of times) {
    let nearest = 0;
    for (let i = 1; i < x.length; i++) if (Math.abs(x[i]! - time) < Math.abs(x[nearest]! - time)) nearest = i;
    values[nearest] = usage[nearest]!;
  }
  return values;
}

/** The charts one container gets, in the order shown. */
export function containerCharts(chart: UsageChart): ChartModel[] {
  return [cpuChart(chart), memoryChart(chart), throttlingChart(chart)].filter(
    (model): model is ChartModel => model !== null,
  );
}
