// The approval panel, top to bottom: the cluster (and the Prometheus the evidence came from), risk, cost and
// the changes first; then, when offered, what resizing the running pods in place would do; then the usage
// behind the changes, then the diffs; the agent's reason last, bounded; the buttons stay at the bottom of the
// view. Every string from the view is appended as text.
import type { ApprovalView } from '../../src/extension/approval/panel-protocol.js';
import { UsageCharts } from '../charts/usage-chart.js';
import { element } from '../shared/dom.js';
import { formatMonthlyCost } from '../shared/format.js';
import { showInvisible, visibleLine } from '../shared/visible-text.js';
import { reasonSection } from './reason-box.js';
import { runningPodsSection } from './render-running-pods.js';
import { changesSection, diffSection, riskBadge, textList } from './render-workloads.js';

/** The parts of the rendered panel that main.ts updates after rendering. */
export interface RenderedApproval {
  root: HTMLElement;
  approve: HTMLElementTagNameMap['vscode-button'];
  /** "Approve and resize running pods": only when the view offers it. */
  resize: HTMLElementTagNameMap['vscode-button'] | null;
  reject: HTMLElementTagNameMap['vscode-button'];
  countdown: HTMLElement;
  status: HTMLElement;
  /** Draw them once `root` is in the page; dispose of them before replacing it. */
  charts: UsageCharts;
}

export function renderApproval(view: ApprovalView): RenderedApproval {
  const approve = element('vscode-button', 'approve', 'Approve');
  const reject = element('vscode-button', 'reject', 'Reject');
  reject.secondary = true;
  const details = view.workloads.length > 0;
  const resize =
    details && view.resizeOffered
      ? element('vscode-button', 'approve-resize', 'Approve and resize running pods')
      : null;
  if (resize) resize.secondary = true;
  const countdown = element('span', 'countdown');
  const status = element('p', 'status');
  status.setAttribute('role', 'status');
  const charts = new UsageCharts(view.usage, ({ history: h }) =>
    visibleLine(`${h.kind} ${h.namespace}/${h.name} · container ${h.container}`),
  );

  const root = element(
    'div',
    'approval',
    element(
      'h1',
      null,
      view.rollbackOf === null
        ? 'Approve changes to Kubernetes resources'
        : 'Approve the rollback of an applied change',
    ),
    view.rollbackOf !== null &&
      element(
        'p',
        'rollback-of',
        'Restores what the apply with rollback id ',
        element('code', null, view.rollbackOf),
        ' changed, where nothing else changed it since.',
      ),
    clusterSection(view),
    element('p', 'expiry', 'This request expires in ', countdown, '.'),
    riskSection(view.risk),
    view.blocks.length > 0 &&
      element('section', 'blocks', element('h2', null, 'Blocked'), textList(view.blocks)),
    view.evidence !== null && view.evidence.missing.length > 0 && missingEvidence(view.evidence),
    element(
      'p',
      'cost',
      'Monthly cost change: ',
      element('strong', null, formatMonthlyCost(view.monthlyCostDelta)),
    ),
    details
      ? element(
          'section',
          'changes-section',
          element('h2', null, 'Changes'),
          ...view.workloads.map(changesSection),
        )
      : summarySection(view.summary),
    resize !== null && runningPodsSection(view),
    details && usageSection(charts),
    details &&
      element(
        'section',
        'diff-section',
        element('h2', null, 'Diff: live object → API server dry run'),
        ...view.workloads.map(diffSection),
      ),
    view.agentReason !== null && reasonSection(view.agentReason),
    element(
      'div',
      'actions',
      approve,
      resize,
      reject,
      view.confirmationRequired &&
        element('p', 'note', 'High risk: VS Code will ask you to confirm once more.'),
    ),
    status,
  );
  return { root, approve, resize, reject, countdown, status, charts };
}

function clusterSection(view: ApprovalView): HTMLElement {
  const evidence = view.evidence;
  return element(
    'section',
    'cluster',
    element('h2', null, 'Cluster'),
    element(
      'dl',
      null,
      element('dt', null, 'Context'),
      element('dd', null, visibleLine(view.cluster.context)),
      element('dt', null, 'API server'),
      element('dd', null, visibleLine(view.cluster.server)),
      evidence !== null && element('dt', null, 'Usage from'),
      evidence !== null &&
        element(
          'dd',
          evidence.source === null ? 'missing' : null,
          evidence.source === null
            ? 'no Prometheus could be read'
            : `${visibleLine(evidence.source)} (read by the approval authority)`,
        ),
    ),
  );
}

function riskSection(risk: ApprovalView['risk']): HTMLElement {
  return element(
    'section',
    'risk',
    element('h2', null, 'Risk ', riskBadge(risk.level)),
    risk.reasons.length > 0 && textList(risk.reasons),
  );
}

/** What could not be read, in red: never a quiet "fine". */
function missingEvidence(evidence: NonNullable<ApprovalView['evidence']>): HTMLElement {
  return element(
    'section',
    'blocks evidence-missing',
    element('h2', null, 'Usage evidence missing'),
    element('p', null, 'The checks against observed usage could not run for:'),
    textList(evidence.missing),
  );
}

function usageSection(charts: UsageCharts): HTMLElement {
  return element(
    'section',
    'usage-section',
    element('h2', null, 'Usage behind the change'),
    charts.figures.length > 0
      ? element(
          'p',
          'caption',
          'Per container over the window the approval authority read: usage, the value the recommendation ' +
            'rests on, and the request and limit now (dashed) and proposed (green). Hover a chart for values.',
        )
      : element('p', 'caption', 'No usage history came with this request: judge by the numbers above.'),
    ...charts.figures,
  );
}

function summarySection(summary: string): HTMLElement {
  return element(
    'section',
    'summary',
    element('h2', null, 'Changes'),
    element('pre', null, showInvisible(summary).text),
  );
}
