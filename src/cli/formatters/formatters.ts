import { stringify as toYaml } from 'yaml';
import type { ResourceScan, ScanResult } from '../../core/recommend/model.js';
import { scoreLetter } from '../../core/recommend/severity.js';
import { diffCell, valueCell } from './cells.js';
import { textTable, wrap } from './text-table.js';

export const FORMATS = ['json', 'yaml', 'table', 'csv'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** `width`: the terminal's columns, for the table (undefined: as wide as it needs). */
export function formatResult(result: ScanResult, format: OutputFormat, width?: number): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'yaml':
      return toYaml(result, { lineWidth: 0 });
    case 'csv':
      return csv(result.scans);
    case 'table':
      return table(result, width);
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

function table(result: ScanResult, width: number | undefined): string {
  const header = [
    '#',
    'Namespace',
    'Name',
    'Pods',
    'Old Pods',
    'Type',
    'Container',
    'Severity',
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
      withInfo(valueCell(scan, 'requests', 'cpu'), info.cpu),
      valueCell(scan, 'limits', 'cpu'),
      withInfo(valueCell(scan, 'requests', 'memory'), info.memory),
      valueCell(scan, 'limits', 'memory'),
    ];
  });
  const score = width === undefined ? [scoreLine(result)] : wrap(scoreLine(result), width);
  const out = [textTable(header, rows, width !== undefined ? { width } : {}), '', ...score];
  for (const error of result.errors) {
    out.push(
      error.name === 'NotEnoughHistoryAvailable'
        ? `Warning: Prometheus holds less than 3 hours of history (enough after ${error.retry_after}).`
        : 'Warning: could not determine how much history Prometheus holds.',
    );
  }
  return `${out.join('\n')}\n`;
}
