// Per workload: its changes (a table in a collapsible section, with impact and risk), and its diff.
import type { ApprovalWorkloadView } from '../../src/extension/approval/panel-protocol.js';
import { element } from '../shared/dom.js';
import { collapsible, textTable } from '../shared/elements.js';
import { formatPercent, formatPods, formatQuantity, riskClass } from '../shared/format.js';
import { showInvisible, visibleLine } from '../shared/visible-text.js';
import { diffLines } from './diff-lines.js';

export function workloadLabel(w: { kind: string; namespace: string; name: string }): string {
  return visibleLine(`${w.kind} ${w.namespace}/${w.name}`);
}

export function changesSection(workload: ApprovalWorkloadView): HTMLElement {
  const rows = workload.containers.flatMap((container) =>
    container.changes.map((change) => [
      visibleLine(container.container),
      visibleLine(change.field),
      visibleLine(formatQuantity(change.from)),
      visibleLine(formatQuantity(change.to)),
      formatPercent(change.percent),
      change.agentSupplied ? 'set by the agent' : visibleLine(container.source),
    ]),
  );
  const table = textTable(['Container', 'Field', 'Current', 'Proposed', 'Change', 'Source'], rows, 'changes');
  const agentSupplied = workload.containers.some((c) => c.changes.some((ch) => ch.agentSupplied));
  return collapsible(
    workloadLabel(workload),
    impactSummary(workload.impact),
    true,
    // The heading is drawn inside the component (shadow DOM, uppercase): this line keeps the name, as it
    // is spelled, in the page's own text too.
    element('p', 'workload-name', `${workloadLabel(workload)}: ${countChanges(workload)}`),
    table,
    agentSupplied &&
      element(
        'p',
        'agent-note',
        'Values marked "set by the agent" are the agent’s, not krr’s recommendation.',
      ),
    impactLine(workload.impact),
    workloadRisk(workload.risk),
  );
}

function countChanges(workload: ApprovalWorkloadView): string {
  const changes = workload.containers.reduce((n, c) => n + c.changes.length, 0);
  return `${changes} change(s) in ${workload.containers.length} container(s)`;
}

function impactSummary(impact: ApprovalWorkloadView['impact']): string {
  return `${formatPods(impact.pods)}${impact.restartRequired ? ', restart' : ''}`;
}

function impactLine(impact: ApprovalWorkloadView['impact']): HTMLElement {
  return element(
    'p',
    'impact',
    `Impact: ${formatPods(impact.pods)}; `,
    impact.restartRequired ? 'pods restart' : 'no restart',
    '; ',
    impact.hpa ? 'a HorizontalPodAutoscaler targets this workload' : 'no HorizontalPodAutoscaler',
    '.',
  );
}

export function riskBadge(level: string): HTMLElement {
  return element('vscode-badge', `risk ${riskClass(level)}`, visibleLine(level));
}

function workloadRisk(risk: ApprovalWorkloadView['risk']): HTMLElement {
  return element(
    'div',
    'workload-risk',
    element('h3', null, 'Workload risk ', riskBadge(risk.level)),
    risk.reasons.length > 0 && textList(risk.reasons),
  );
}

export function diffSection(workload: ApprovalWorkloadView): HTMLElement {
  const lines = diffLines(workload.diff).map(({ kind, text }) =>
    element('span', `diff-line diff-${kind}`, `${showInvisible(text).text}\n`),
  );
  return collapsible(workloadLabel(workload), 'live → dry run', true, element('pre', 'diff', ...lines));
}

export function textList(items: string[]): HTMLUListElement {
  return element('ul', null, ...items.map((item) => element('li', null, showInvisible(item).text)));
}
