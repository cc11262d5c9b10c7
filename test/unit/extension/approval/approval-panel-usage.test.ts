import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { approvalViewOf } from '../../../../src/extension/approval/approval-view.js';
import {
  ApprovalViewSchema,
  ContainerUsageHistorySchema,
  HostMessageSchema,
} from '../../../../src/extension/approval/panel-protocol.js';
import {
  approvalCharts,
  proposedFromChanges,
  proposedFromRecommendation,
} from '../../../../src/extension/approval/usage-charts.js';
import { double } from '../../../support/vscode-double/vscode.js';
import { hostileRequest, openPanel, settle } from './approval-fixtures.js';
import { usageHistory } from './usage-fixtures.js';

beforeEach(() => double.reset());

const MiB = 1024 * 1024;

/** The fixture request's container (`ns-…/Deployment/api-…/app-…`) with a history, and one the plan does not change. */
function requestWithUsage() {
  const request = hostileRequest();
  const workload = request.details!.workloads[0]!;
  const changed = usageHistory({
    namespace: workload.namespace,
    name: workload.name,
    container: workload.containers[0]!.container,
  });
  const unrelated = usageHistory({ container: 'not-in-the-plan' });
  request.details!.usage = [unrelated, changed];
  return { request, changed };
}

test("the plan's changes become the proposed lines, in base units; unchanged fields stay absent", () => {
  assert.deepEqual(
    proposedFromChanges([
      { field: 'requests.cpu', to: '250m' },
      { field: 'requests.memory', to: '384Mi' },
      { field: 'limits.memory', to: null },
      { field: 'limits.cpu', to: 'a lot' },
      { field: 'replicas', to: '3' },
    ]),
    { requests: { cpu: 0.25, memory: 384 * MiB }, limits: { memory: null } },
  );
});

test("krr's recommendation becomes the proposed lines: '?' draws nothing, null is unset", () => {
  assert.deepEqual(
    proposedFromRecommendation({
      requests: { cpu: '100m', memory: '?' },
      limits: { cpu: null, memory: '1Gi' },
    }),
    { requests: { cpu: 0.1 }, limits: { cpu: null, memory: 1024 * MiB } },
  );
});

test('each changed container with a history gets a chart; histories the plan does not change are left out', () => {
  const { request, changed } = requestWithUsage();
  const charts = approvalCharts(request.details);
  assert.equal(charts.length, 1);
  assert.equal(charts[0]!.history, changed);
  assert.deepEqual(charts[0]!.proposed, { requests: { cpu: 0.25 }, limits: { memory: 512 * MiB } });
  assert.deepEqual(approvalCharts(hostileRequest().details), [], 'no histories, no charts');
  assert.deepEqual(approvalCharts(undefined), []);
});

test('the view carries the charts and passes the schema the page checks', () => {
  const { request } = requestWithUsage();
  const view = approvalViewOf(request);
  assert.equal(view.usage.length, 1);
  assert.equal(ApprovalViewSchema.safeParse(view).success, true);
  assert.equal(ContainerUsageHistorySchema.safeParse(view.usage[0]!.history).success, true);
});

test('the page refuses a history that is not one: NaN, a string for a number, a huge series', () => {
  const nan = usageHistory();
  nan.cpu.series[3] = [nan.cpu.series[3]![0], Number.NaN];
  const text = { ...usageHistory(), oomKills: ['soon'] } as unknown;
  const huge = usageHistory({ points: 2_001 });
  for (const bad of [nan, text, huge])
    assert.equal(ContainerUsageHistorySchema.safeParse(bad).success, false);
});

test('unusable charts are left out and the change is still shown, with a line in the log', async () => {
  const { request, changed } = requestWithUsage();
  changed.memory.series[0] = [changed.memory.series[0]![0], Number.POSITIVE_INFINITY];
  const { panel, approvalId } = openPanel(request);
  panel.webview.simulateMessage({ type: 'ready', approvalId });
  await settle();
  const show = HostMessageSchema.parse(panel.webview.posted[0]);
  assert.ok(show.type === 'show');
  assert.deepEqual(show.view.usage, []);
  assert.equal(show.view.workloads.length, 1, 'the change itself is shown');
  assert.ok(double.logs.some((l) => l.level === 'error' && /usage charts unusable/.test(l.message)));
});

test('a CSP violation the page reports is logged and approves nothing; one from another panel is ignored', async () => {
  const { panel, approvalId, decision } = openPanel();
  panel.webview.simulateMessage({ type: 'ready', approvalId });
  const report = { type: 'cspViolation', directive: 'script-src-elem', blocked: 'inline page.js:1' };
  panel.webview.simulateMessage({ ...report, approvalId });
  panel.webview.simulateMessage({ ...report, approvalId: 'another-panel-0123456789' });
  await settle();
  const warnings = double.logs.filter((l) => l.level === 'warn').map((l) => l.message);
  assert.ok(
    warnings.some((w) => /Content-Security-Policy violation \(script-src-elem: inline page.js:1\)/.test(w)),
  );
  assert.ok(warnings.some((w) => /for another panel/.test(w)));
  assert.equal(await Promise.race([decision, Promise.resolve('pending')]), 'pending');
  assert.equal(panel.disposed, false);
});
