// The Recommendation Details panel: per selected container, krr's recommendation next to the current values,
// the usage behind it (the same charts as the approval panel) and the risk signals. Read-only: it has no
// button that changes anything. Every string from the view is appended as text.
import type { DetailsContainerView, DetailsView } from '../../src/extension/approval/panel-protocol.js';
import { UsageCharts } from '../charts/usage-chart.js';
import { element } from '../shared/dom.js';
import { textTable } from '../shared/elements.js';
import { formatQuantity, riskClass } from '../shared/format.js';
import { showInvisible, visibleLine } from '../shared/visible-text.js';

export interface RenderedDetails {
  root: HTMLElement;
  charts: UsageCharts[];
}

const SEVERITY_RISK: Record<string, string> = {
  CRITICAL: 'CRITICAL',
  WARNING: 'MEDIUM',
  OK: 'LOW',
  GOOD: 'LOW',
};

export function renderDetails(view: DetailsView): RenderedDetails {
  const charts: UsageCharts[] = [];
  const sections = view.containers.map((container) => {
    const chart = new UsageCharts(container.chart ? [container.chart] : [], () => null);
    charts.push(chart);
    return containerSection(container, chart);
  });
  const root = element(
    'div',
    'details',
    element('h1', null, 'Recommendation details'),
    view.context !== null &&
      element('p', 'context', 'Context: ', element('strong', null, visibleLine(view.context))),
    view.notes.length > 0 &&
      element('section', 'notes', ...view.notes.map((note) => element('p', null, showInvisible(note).text))),
    view.containers.length === 0 && element('p', null, 'Nothing selected.'),
    ...sections,
  );
  return { root, charts };
}

function containerSection(container: DetailsContainerView, chart: UsageCharts): HTMLElement {
  const severity = element(
    'vscode-badge',
    `risk ${riskClass(SEVERITY_RISK[container.severity.toUpperCase()] ?? '')}`,
    visibleLine(container.severity),
  );
  return element(
    'section',
    'details-container',
    element(
      'h2',
      null,
      visibleLine(
        `${container.kind} ${container.namespace}/${container.name} · container ${container.container}`,
      ),
      ' ',
      severity,
    ),
    valuesTable(container),
    container.monthlySavingsUsd !== 0 && element('p', 'savings', savingsText(container.monthlySavingsUsd)),
    container.chart === null
      ? element('p', 'chart-empty', 'No usage history for this container.')
      : element('div', 'usage', ...chart.figures),
  );
}

function valuesTable(container: DetailsContainerView): HTMLElement {
  const row = (label: string, which: 'requests' | 'limits', resource: 'cpu' | 'memory') => [
    label,
    visibleLine(formatQuantity(container.current[which][resource])),
    visibleLine(formatQuantity(container.recommended[which][resource])),
    which === 'requests' ? visibleLine(container.info[resource] ?? '') : '',
  ];
  return textTable(
    ['', 'Current', 'Recommended', 'Note'],
    [
      row('CPU request', 'requests', 'cpu'),
      row('CPU limit', 'limits', 'cpu'),
      row('Memory request', 'requests', 'memory'),
      row('Memory limit', 'limits', 'memory'),
    ],
    'values',
  );
}

function savingsText(usd: number): string {
  const amount = `$${Math.abs(usd).toFixed(2)}`;
  return usd > 0
    ? `Saves about ${amount} a month (requests × running pods × prices).`
    : `Costs about ${amount} a month more (requests × running pods × prices).`;
}
