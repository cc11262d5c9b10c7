import type { ApprovalView, ApprovalWorkloadView } from '../../src/extension/approval/panel-protocol.js';
import { diffLines } from './diff-lines.js';
import { button, element } from './dom.js';
import { formatMonthlyCost, formatPercent, formatPods, formatQuantity, riskClass } from './format.js';

/** The parts of the rendered panel that main.ts updates after rendering. */
export interface RenderedApproval {
  root: HTMLElement;
  approve: HTMLButtonElement;
  reject: HTMLButtonElement;
  countdown: HTMLElement;
  status: HTMLElement;
}

/** Builds the whole panel from the view. Every string from the view is appended as text. */
export function renderApproval(view: ApprovalView): RenderedApproval {
  const approve = button('Approve', 'approve');
  const reject = button('Reject', 'reject');
  const countdown = element('span', 'countdown');
  const status = element('p', 'status');
  status.setAttribute('role', 'status');

  const root = element(
    'div',
    'approval',
    element('h1', null, 'Approve changes to Kubernetes resources'),
    clusterSection(view),
    element('p', 'expiry', 'This request expires in ', countdown, '.'),
    riskSection('Risk', view.risk),
    view.blocks.length > 0 && element('section', 'blocks', element('h2', null, 'Blocked'), list(view.blocks)),
    view.evidence !== null && evidenceSection(view.evidence),
    element(
      'p',
      'cost',
      'Monthly cost change: ',
      element('strong', null, formatMonthlyCost(view.monthlyCostDelta)),
    ),
    view.agentReason !== null && agentReasonSection(view.agentReason),
    ...(view.workloads.length > 0 ? view.workloads.map(workloadSection) : [summarySection(view.summary)]),
    element(
      'div',
      'actions',
      approve,
      reject,
      view.confirmationRequired &&
        element('p', 'note', 'High risk: VS Code will ask you to confirm once more.'),
    ),
    status,
  );
  return { root, approve, reject, countdown, status };
}

function clusterSection(view: ApprovalView): HTMLElement {
  return element(
    'section',
    'cluster',
    element('h2', null, 'Cluster'),
    element(
      'dl',
      null,
      element('dt', null, 'Context'),
      element('dd', null, view.cluster.context),
      element('dt', null, 'API server'),
      element('dd', null, view.cluster.server),
    ),
  );
}

/** The usage the checks rest on; missing evidence in red, never a quiet "fine". */
function evidenceSection(evidence: NonNullable<ApprovalView['evidence']>): HTMLElement {
  const source = evidence.source ?? 'no Prometheus';
  if (evidence.missing.length === 0)
    return element(
      'p',
      'evidence',
      `Usage evidence: 14 days from ${source}, read by the approval authority.`,
    );
  return element(
    'section',
    'blocks evidence-missing',
    element('h2', null, 'Usage evidence missing'),
    element('p', null, `From ${source}. The checks against observed usage could not run for:`),
    list(evidence.missing),
  );
}

function riskSection(title: string, risk: ApprovalView['risk']): HTMLElement {
  return element(
    'section',
    'risk',
    element('h3', null, `${title} `, element('span', `badge ${riskClass(risk.level)}`, risk.level)),
    risk.reasons.length > 0 && list(risk.reasons),
  );
}

function agentReasonSection(reason: string): HTMLElement {
  return element(
    'section',
    'agent-reason',
    element('h2', null, "The agent's reason"),
    element('p', 'caption', 'In the agent’s own words, not checked by krr-mcp:'),
    element('blockquote', null, reason),
  );
}

function summarySection(summary: string): HTMLElement {
  return element('section', 'summary', element('h2', null, 'Changes'), element('pre', null, summary));
}

function workloadSection(workload: ApprovalWorkloadView): HTMLElement {
  return element(
    'section',
    'workload',
    element('h2', null, `${workload.kind} ${workload.namespace}/${workload.name}`),
    changesTable(workload),
    impactLine(workload.impact),
    riskSection('Workload risk', workload.risk),
    element('h3', null, 'Diff: live object → API server dry run'),
    diffBlock(workload.diff),
  );
}

function changesTable(workload: ApprovalWorkloadView): HTMLTableElement {
  const head = element(
    'tr',
    null,
    ...['Container', 'Field', 'Current', 'Proposed', 'Change', 'Source'].map((h) => element('th', null, h)),
  );
  const rows = workload.containers.flatMap((container) =>
    container.changes.map((change) =>
      element(
        'tr',
        change.agentSupplied ? 'agent-supplied' : null,
        element('td', null, container.container),
        element('td', null, change.field),
        element('td', 'value', formatQuantity(change.from)),
        element('td', 'value', formatQuantity(change.to)),
        element('td', 'value', formatPercent(change.percent)),
        element(
          'td',
          null,
          change.agentSupplied ? element('span', 'badge agent', 'set by the agent') : container.source,
        ),
      ),
    ),
  );
  return element('table', 'changes', element('thead', null, head), element('tbody', null, ...rows));
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

function diffBlock(diff: string): HTMLPreElement {
  const lines = diffLines(diff).map(({ kind, text }) =>
    element('span', `diff-line diff-${kind}`, `${text}\n`),
  );
  return element('pre', 'diff', ...lines);
}

function list(items: string[]): HTMLUListElement {
  return element('ul', null, ...items.map((item) => element('li', null, item)));
}
