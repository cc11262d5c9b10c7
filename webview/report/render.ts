// The HTML report, top to bottom: what was scanned and how it scored, krr's table, then the usage charts
// of every container (the same module as the panels'). Every string from the data is appended as text.
import { UsageCharts } from '../charts/usage-chart.js';
import { element } from '../shared/dom.js';
import { showInvisible, visibleLine } from '../shared/visible-text.js';
import type { ReportDataView } from './report-data.js';

const SEVERITY_CLASS: Record<string, string> = {
  CRITICAL: 'severity-critical',
  WARNING: 'severity-warning',
  OK: 'severity-ok',
  GOOD: 'severity-good',
  UNKNOWN: 'severity-unknown',
};

export interface RenderedReport {
  root: HTMLElement;
  charts: UsageCharts;
}

export function renderReport(data: ReportDataView): RenderedReport {
  const charts = new UsageCharts(data.charts, ({ history: h }) =>
    visibleLine(`${h.kind} ${h.namespace}/${h.name} · container ${h.container}`),
  );
  const root = element(
    'div',
    'report',
    element('h1', null, 'krr-mcp report'),
    element(
      'p',
      'meta',
      `Generated ${visibleLine(data.generatedAt.slice(0, 16).replace('T', ' '))} UTC · strategy `,
      visibleLine(data.strategy),
      ` · ${data.containers} container(s)`,
    ),
    summary(data),
    element('section', 'table-section', element('h2', null, 'Recommendations'), table(data.table)),
    element(
      'section',
      'charts-section',
      element('h2', null, 'Usage'),
      data.charts.length > 0
        ? element(
            'p',
            'caption',
            'Per container over the history window: usage, the value the recommendation rests on, and the ' +
              'request and limit now (dashed) and recommended (green). Hover a chart for values.',
          )
        : element(
            'p',
            'caption',
            'This report holds no usage history (scan with the histories to see charts).',
          ),
      ...charts.figures,
    ),
  );
  return { root, charts };
}

function summary(data: ReportDataView): HTMLElement {
  const counts = Object.entries(data.severities).filter(([, n]) => n > 0);
  return element(
    'section',
    'summary',
    element('h2', null, 'Summary'),
    element(
      'p',
      'severities',
      ...counts.flatMap(([severity, n]) => [
        element('span', `severity ${SEVERITY_CLASS[severity] ?? 'severity-unknown'}`, `${severity} ${n}`),
        ' ',
      ]),
    ),
    element('p', null, showInvisible(data.scoreLine).text),
    data.charted > 0 &&
      element('p', null, `${data.atRisk} of the ${data.charted} charted container(s) are at risk already.`),
    ...data.warnings.map((warning) => element('p', 'warning', showInvisible(warning).text)),
  );
}

function table(data: ReportDataView['table']): HTMLElement {
  const severityColumn = data.header.indexOf('Severity');
  return element(
    'div',
    'table-scroll',
    element(
      'table',
      'krr-table',
      element(
        'thead',
        null,
        element('tr', null, ...data.header.map((h) => element('th', null, visibleLine(h)))),
      ),
      element(
        'tbody',
        null,
        ...data.rows.map((row) =>
          element(
            'tr',
            null,
            ...row.map((cell, i) =>
              element('td', i === severityColumn ? (SEVERITY_CLASS[cell] ?? null) : null, visibleLine(cell)),
            ),
          ),
        ),
      ),
    ),
  );
}
