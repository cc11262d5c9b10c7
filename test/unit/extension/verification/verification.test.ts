// After the click, in the editor: the workload row's badge and "Roll Back…", the notification at the end
// (whose "Roll Back…" only opens the rollback's approval), and the words a person reads, all of it text.

import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { VerificationUpdate } from '../../../../src/core/approval/verification-runner.js';
import type { Evidence, Verdict } from '../../../../src/core/verify/model.js';
import type { TreeNode } from '../../../../src/extension/tree/nodes/tree-node.js';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import { registerVerification } from '../../../../src/extension/verification/register-verification.js';
import {
  notificationSafe,
  verdictMessage,
  verificationDocument,
} from '../../../../src/extension/verification/verification-text.js';
import { double, window, type MarkdownString } from '../../../support/vscode-double/vscode.js';
import { aRecommendation, FakeSource } from '../tree/builders.js';
import { walk } from '../tree/tree-walk.js';

beforeEach(() => double.reset());

const API = { kind: 'Deployment' as const, namespace: 'shop', name: 'api' };
const OOM: Evidence = {
  kind: 'oom-killed',
  severity: 'warning',
  message: 'pod api-7f9 container app was OOMKilled [x](command:evil)',
};

function update(
  state: VerificationUpdate['state'],
  verdict?: Verdict,
  more: Partial<VerificationUpdate> = {},
): VerificationUpdate {
  const workloads = verdict
    ? [
        {
          target: API,
          verdict,
          rollout: 'complete' as const,
          evidence: verdict === 'healthy' ? [] : [OOM],
        },
      ]
    : [];
  return {
    verificationId: 'v-1',
    rollbackId: 'rb-0123456789abcdef',
    planId: 'plan-1',
    context: 'prod',
    rollback: false,
    targets: [API],
    state,
    ...(state === 'completed' && verdict
      ? {
          result: {
            verificationId: 'v-1',
            rollbackId: 'rb-0123456789abcdef',
            planId: 'plan-1',
            startedAt: '2026-12-07T00:00:00.000Z',
            completedAt: '2026-12-07T00:10:00.000Z',
            verdict,
            workloads,
          },
        }
      : {}),
    ...more,
  };
}

function setUp() {
  const provider = new RecommendationsProvider(
    new FakeSource([
      aRecommendation({ container: 'app' }),
      aRecommendation({ name: 'web', container: 'app' }),
    ]),
  );
  const log = window.createOutputChannel('krr-mcp-test');
  const presenter = registerVerification({ log: log as never, tree: provider });
  const row = (name: string) =>
    walk(provider).find((n: TreeNode) => n.id === `prod/shop/Deployment/${name}`)!;
  return {
    presenter,
    item: (name: string) => provider.getTreeItem(row(name)),
    tooltip: (name: string) =>
      (
        provider.resolveTreeItem(provider.getTreeItem(row(name)), row(name))
          .tooltip as unknown as MarkdownString
      ).value,
    row,
  };
}

/** Lets the notifier's promise chain run (it awaits the answer, then the command). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

test('the row shows the verification as it moves; only the changed workload, and "Roll Back…" once degraded', async () => {
  const t = setUp();
  t.presenter.onVerification(update('running'));
  assert.match(String(t.item('api').description), /^verifying… · /);
  assert.doesNotMatch(String(t.item('web').description), /verif/);
  assert.doesNotMatch(String(t.item('api').contextValue), /verification-/);

  double.messageAnswers.push(undefined);
  t.presenter.onVerification(update('completed', 'degraded'));
  assert.match(String(t.item('api').description), /^⚠ degraded · /);
  assert.match(String(t.item('api').contextValue), /;verification-degraded$/);
  const tooltip = t.tooltip('api');
  assert.match(tooltip, /After the apply/);
  assert.match(tooltip, /Rollback id rb\\?-0123456789abcdef/);
  assert.doesNotMatch(tooltip, /\[x\]\(command:evil\)/, 'cluster text is escaped in the tooltip');
  await settle();
});

test('a newer verification of the same workload is not hidden by the older one still reporting', () => {
  const t = setUp();
  t.presenter.onVerification(update('running', undefined, { verificationId: 'older' }));
  t.presenter.onVerification(update('running', undefined, { verificationId: 'newer', rollback: true }));
  double.messageAnswers.push(undefined);
  t.presenter.onVerification(update('completed', 'failed', { verificationId: 'older' }));
  assert.match(String(t.item('api').description), /^verifying… · /, 'the rollback is still being verified');
});

test('"Roll Back…" on a degraded row asks for the rollback of that apply, in its context', async () => {
  const t = setUp();
  double.messageAnswers.push(undefined);
  t.presenter.onVerification(update('completed', 'degraded'));
  await settle();
  double.executed.length = 0;
  await double.commands.get('krrMcp.rollBackWorkload')!(t.row('api'));
  assert.deepEqual(double.executed.at(-1), {
    command: 'krrMcp.rollback',
    args: [{ rollbackId: 'rb-0123456789abcdef', context: 'prod' }],
  });
  // A row without a verification (or the palette) falls back to the ordinary command, which asks.
  await double.commands.get('krrMcp.rollBackWorkload')!(t.row('web'));
  assert.deepEqual(double.executed.at(-1), { command: 'krrMcp.rollback', args: [undefined] });
});

test('the notification at the end: a degraded verdict offers "Roll Back…", which only opens the rollback approval', async () => {
  const t = setUp();
  double.messageAnswers.push('Roll Back…');
  t.presenter.onVerification(update('completed', 'degraded'));
  await settle();
  const shown = double.messages.at(-1)!;
  assert.equal(shown.level, 'warning');
  assert.deepEqual(shown.buttons, ['Roll Back…', 'Show Details']);
  assert.match(shown.message, /Deployment shop\/api is degraded: pod api-7f9 container app was OOMKilled/);
  assert.deepEqual(
    double.executed.filter((e) => e.command === 'krrMcp.rollback'),
    [{ command: 'krrMcp.rollback', args: [{ rollbackId: 'rb-0123456789abcdef', context: 'prod' }] }],
  );
  // Told once: a repeated completed update does not notify again.
  t.presenter.onVerification(update('completed', 'degraded'));
  await settle();
  assert.equal(double.messages.filter((m) => /degraded/.test(m.message)).length, 1);
});

test('no "Roll Back…" for a healthy verdict, nor for the verification of a rollback', async () => {
  const t = setUp();
  double.messageAnswers.push(undefined, undefined);
  t.presenter.onVerification(update('completed', 'healthy'));
  t.presenter.onVerification(update('completed', 'failed', { verificationId: 'v-2', rollback: true }));
  await settle();
  assert.deepEqual(
    double.messages.map((m) => [m.level, m.buttons]),
    [
      ['info', ['Show Details']],
      ['error', ['Show Details']],
    ],
  );
  assert.equal(
    t.item('api').contextValue?.includes('verification-'),
    false,
    'nothing to roll back on the row',
  );
});

test('the words: cluster text cannot become a link; the document says how to undo and that nothing was undone', () => {
  assert.equal(notificationSafe('see [here](command:evil)'), 'see [here] (command:evil)');
  assert.doesNotMatch(verdictMessage(update('completed', 'degraded')), /\]\(/);
  const document = verificationDocument(update('completed', 'degraded'));
  assert.match(document, /Verdict: {6}DEGRADED/);
  assert.match(document, /⚠ pod api-7f9 container app was OOMKilled/);
  assert.match(document, /rollback id rb-0123456789abcdef/);
  assert.match(document, /never rolls back, resizes or re-applies anything by itself/);
  assert.doesNotMatch(
    verificationDocument(update('completed', 'degraded', { rollback: true })),
    /To undo the change/,
  );
});
