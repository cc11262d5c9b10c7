import { stringify as toYaml } from 'yaml';
import { scanErrorText } from '../../core/recommend/scan-error-text.js';
import type { ContainerUsageHistory } from '../../core/evidence/usage-history-model.js';
import type { ResourceScan, ScanResult } from '../../core/recommend/model.js';
import { scoreLetter } from '../../core/recommend/severity.js';
import { diffCell, valueCell } from './cells.js';
import { htmlReport } from './html-report.js';
import { AT_RISK_MARK, atRiskCell, atRiskLegend, resultWithSignals, type ScanSignalMap } from './signals.js';
import { textTable, wrap } from './text-table.js';

export const FORMATS = ['json', 'yaml', 'table', 'csv', 'html'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/**
 * `width`: the terminal's columns, for the table (undefined: as wide as it needs). `signals`: the risk
 * signals when they were loaded (null: asked for but unreadable); without them the output is krr's.
 * `histories`: the usage behind each container, drawn as charts by the html format (ignored by the others).
 */
export function formatResult(
  result: ScanResult,
  format: OutputFormat,
  width?: number,
  signals?: ScanSignalMap,
  histories: readonly ContainerUsageHistory[] = [],
): string {
  const shown = signals === undefined ? result : resultWithSignals(result, signals);
  switch (format) {
    case 'json':
      return `${JSON.stringify(shown, null, 2)}\n`;
    case 'yaml':
      return toYaml(shown, { lineWidth: 0 });
    case 'csv':
      return csv(result.scans);
    case 'table':
      return table(result, width, signals);
    case 'html':
      return htmlReport(result, histories, scoreLine(result));
  }
}

interface Row {
  first: boolean;
  scan: ResourceScan;
}

/** Rows grouped by workload: namespace, name, pods and kind only on a group's first row (as krr does). */
function grouped(scans: readonly ResourceScan[]): Row[] {
  return scans.map((scan, i) => {
    const previous = scans[i - 1]?.object;
    const first =
      !previous ||
      previous.namespace !== scan.object.namespace ||
      previous.name !== scan.object.name ||
      previous.kind !== scan.object.kind;
    return { first, scan };
  });
}

function podCounts(scan: ResourceScan): [string, string] {
  const running = scan.object.pods.filter((p) => !p.deleted).length;
  return [String(running), String(scan.object.pods.length - running)];
}

function withInfo(text: string, info: string | null): string {
  return info ? `${text} (${info})` : text;
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csv(scans: readonly ResourceScan[]): string {
  const header = [
    'Namespace',
    'Name',
    'Pods',
    'Old Pods',
    'Type',
    'Container',
    'Severity',
    'CPU Diff',
    'CPU Requests',
    'CPU Limits',
    'Memory Diff',
    'Memory Requests',
    'Memory Limits',
  ];
  const lines = [header.join(',')];
  for (const { first, scan } of grouped(scans)) {
    const [pods, oldPods] = podCounts(scan);
    const o = scan.object;
    const cells = [
      first ? o.namespace : '',
      first ? o.name : '',
      first ? pods : '',
      first ? oldPods : '',
      first ? o.kind : '',
      o.container,
      scan.severity,
      diffCell(scan, 'cpu'),
      valueCell(scan, 'requests', 'cpu'),
      valueCell(scan, 'limits', 'cpu'),
      diffCell(scan, 'memory'),
      valueCell(scan, 'requests', 'memory'),
      valueCell(scan, 'limits', 'memory'),
    ];
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * krr prints "53 points - D" under its table; the same score (krr's JSON keeps it as is) said in words. A scan
 * where no container has a recommendation has nothing to grade, whatever krr's formula gives (100).
 */
export function scoreLine(result: ScanResult): string {
  const graded = result.scans.filter((s) => s.severity !== 'UNKNOWN').length;
  if (graded === 0)
    return 'Score: none. No container had enough usage data for a recommendation (see the "?" cells).';
  return `Score ${result.score}/100 (${scoreLetter(result.score)}): how closely the current requests and limits match the recommendations (100 = nothing to change).`;
}

function table(result: ScanResult, width: number | undefined, signals: ScanSignalMap | undefined): string {
  const marked = signals !== undefined;
  const header = [
    '#',
    'Namespace',
    'Name',
    'Pods',
    'Old Pods',
    'Type',
    'Container',
    'Severity',
    ...(marked ? [AT_RISK_MARK] : []),
    'CPU Requests',
    'CPU Limits',
    'Memory Requests',
    'Memory Limits',
  ];
  const rows = grouped(result.scans).map(({ first, scan }, i) => {
    const [pods, oldPods] = podCounts(scan);
    const o = scan.object;
    const info = scan.recommended.info;
    return [
      String(i + 1),
      first ? o.namespace : '',
      first ? o.name : '',
      first ? pods : '',
      first ? oldPods : '',
      first ? o.kind : '',
      o.container,
      scan.severity,
      ...(marked ? [atRiskCell(scan, signals)] : []),
      withInfo(valueCell(scan, 'requests', 'cpu'), info.cpu),
      valueCell(scan, 'limits', 'cpu'),
      withInfo(valueCell(scan, 'requests', 'memory'), info.memory),
      valueCell(scan, 'limits', 'memory'),
    ];
  });
  const score = width === undefined ? [scoreLine(result)] : wrap(scoreLine(result), width);
  const legend = marked ? atRiskLegend(result.scans, signals, width) : [];
  const out = [
    textTable(header, rows, width !== undefined ? { width } : {}),
    '',
    ...(legend.length > 0 ? [...legend, ''] : []),
    ...score,
  ];
  for (const error of result.errors) out.push(`Warning: ${scanErrorText(error)}.`);
  return `${out.join('\n')}\n`;
}
