// What the HTML report's page renders: krr's table as text cells, a summary, and each container's usage
// history with the amounts krr recommends (the page draws the charts). Plain JSON-safe data, embedded in
// the report and checked by the page against its schema (webview/report/report-data.ts). Pure.
import { scanErrorText } from '../../core/recommend/scan-error-text.js';
import { scanRowKey } from './scan-row-key.js';
import type { ContainerUsageHistory } from '../../core/evidence/usage-history-model.js';
import type { RecommendationValue, ResourceScan, ScanResult, Severity } from '../../core/recommend/model.js';
import { valueCell } from './cells.js';

type Amount = number | null | undefined;
type Lines = { cpu?: number | null; memory?: number | null };

/** One container's charts: src/extension/approval/panel-protocol.ts's UsageChart, which the CLI may not import. */
export interface ReportChart {
  history: ContainerUsageHistory;
  proposed: { requests: Lines; limits: Lines };
}

export interface ReportData {
  /** ISO 8601. */
  generatedAt: string;
  strategy: string;
  /** "Score 62/100 (C): …", as under krr's table. */
  scoreLine: string;
  severities: Record<Severity, number>;
  /** Containers the loaded histories call at risk (OOM kills, throttling, restarts, HPA at max). */
  atRisk: number;
  /** Containers scanned, and those with a usage history in the report. */
  containers: number;
  charted: number;
  warnings: string[];
  table: { header: string[]; rows: string[][] };
  charts: ReportChart[];
}

const HEADER = [
  '#',
  'Namespace',
  'Name',
  'Pods',
  'Old Pods',
  'Type',
  'Container',
  'Severity',
  'At risk',
  'CPU Requests',
  'CPU Limits',
  'Memory Requests',
  'Memory Limits',
];

const keyOf = (scan: ResourceScan) => scanRowKey(scan.object);

/** krr's numbers as the charts' proposed lines: "?" (no recommendation) draws nothing, null is "unset". */
function amount(value: RecommendationValue): Amount {
  return value === '?' ? undefined : value;
}

function proposedOf(scan: ResourceScan): ReportChart['proposed'] {
  const lines = (which: 'requests' | 'limits'): Lines => {
    const out: Lines = {};
    for (const resource of ['cpu', 'memory'] as const) {
      const value = amount(scan.recommended[which][resource].value);
      if (value !== undefined) out[resource] = value;
    }
    return out;
  };
  return { requests: lines('requests'), limits: lines('limits') };
}

function withInfo(text: string, info: string | null): string {
  return info ? `${text} (${info})` : text;
}

/** krr's table: namespace, name, pods and kind only on a workload's first row. */
function rows(
  result: ScanResult,
  histories: Map<string, ContainerUsageHistory>,
  marked: boolean,
): string[][] {
  return result.scans.map((scan, i) => {
    const o = scan.object;
    const previous = result.scans[i - 1]?.object;
    const first =
      !previous || previous.namespace !== o.namespace || previous.name !== o.name || previous.kind !== o.kind;
    const running = o.pods.filter((p) => !p.deleted).length;
    const signals = histories.get(keyOf(scan))?.signals;
    const info = scan.recommended.info;
    return [
      String(i + 1),
      first ? o.namespace : '',
      first ? o.name : '',
      first ? String(running) : '',
      first ? String(o.pods.length - running) : '',
      first ? o.kind : '',
      o.container,
      scan.severity,
      ...(marked ? [signals ? (signals.atRisk ? signals.reasons.join(' ') : 'no') : ''] : []),
      withInfo(valueCell(scan, 'requests', 'cpu'), info.cpu),
      valueCell(scan, 'limits', 'cpu'),
      withInfo(valueCell(scan, 'requests', 'memory'), info.memory),
      valueCell(scan, 'limits', 'memory'),
    ];
  });
}

function warningsOf(result: ScanResult): string[] {
  return result.errors.map((error) => `${scanErrorText(error)}.`);
}

export function reportData(
  result: ScanResult,
  histories: readonly ContainerUsageHistory[],
  scoreLine: string,
  now: Date = new Date(),
): ReportData {
  const byKey = new Map(histories.map((h) => [h.key, h]));
  const marked = histories.length > 0;
  const severities: Record<Severity, number> = { CRITICAL: 0, WARNING: 0, OK: 0, GOOD: 0, UNKNOWN: 0 };
  for (const scan of result.scans) severities[scan.severity]++;
  const charts = result.scans.flatMap((scan) => {
    const history = byKey.get(keyOf(scan));
    return history ? [{ history, proposed: proposedOf(scan) }] : [];
  });
  return {
    generatedAt: now.toISOString(),
    strategy: result.strategy.name,
    scoreLine,
    severities,
    atRisk: charts.filter((c) => c.history.signals.atRisk).length,
    containers: result.scans.length,
    charted: charts.length,
    warnings: warningsOf(result),
    // Without histories there is nothing to say about risk: krr's own columns.
    table: {
      header: marked ? HEADER : HEADER.filter((h) => h !== 'At risk'),
      rows: rows(result, byKey, marked),
    },
    charts,
  };
}
