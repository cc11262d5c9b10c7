// After the click, over MCP: the built server and the real SDK client, the headless authority with a scripted
// person, and the simulated cluster with its controllers (time moves when the test says). The apply answers
// at once with a verification id that get_verification follows to its verdict; on a 1.33 cluster the person
// (never the agent) can choose to resize the running pods in place, and a 1.32 cluster is not offered it.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, test, type TestContext } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Decision } from '../../../src/core/approval/approval-request.js';
import type { KubernetesVersion } from '../../../src/demo/kube-simulator/index.js';
import { startApprovalEnvironment, type ApprovalEnvironment } from '../../support/approval-environment.js';
import type { ClusterUnderTest } from '../../support/cluster-under-test.js';
import { podIdentity, startWebCluster, webPods, webReplicaSets } from '../../support/resize-cluster.js';

const WINDOW_MS = 5 * 60_000;
/** Nothing listens here: the authority's usage evidence and the verification's metrics are missing, and say so. */
const NO_PROMETHEUS = 'http://127.0.0.1:9';

let cluster: ClusterUnderTest | undefined;
let approval: ApprovalEnvironment | undefined;
let client: Client;
afterEach(async () => {
  await approval?.stop();
  await cluster?.stop();
  approval = undefined;
  cluster = undefined;
});

type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
const call = async (name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as Result;
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');
const data = <T>(r: Result) => {
  assert.notEqual(r.isError, true, text(r));
  return r.structuredContent as T;
};

async function start(t: TestContext, version: KubernetesVersion): Promise<ClusterUnderTest> {
  cluster = await startWebCluster(version);
  if (!cluster.sim) t.skip('needs the simulator: its clock, versions and faults');
  approval = await startApprovalEnvironment(
    { dir: cluster.dir, kubeconfig: cluster.kubeconfig, prometheus: { url: NO_PROMETHEUS } },
    { offerInPlaceResize: true, verification: { windowMs: WINDOW_MS, clock: cluster.clock } },
  );
  ({ client } = await approval.connectServer());
  return cluster;
}

type Applied = {
  status: string;
  rollback_id: string | null;
  verification_id: string | null;
  message: string;
  resized_pods?: Array<{ pod: string; status: string }>;
};

/** preview_changes of the web Deployment's `app` container with these values; its plan id. */
async function previewWeb(cluster: ClusterUnderTest, app: Record<string, unknown>): Promise<string> {
  const plan = data<{ plan_id: string }>(
    await call('preview_changes', {
      changes: [
        {
          kind: 'Deployment',
          namespace: cluster.namespace,
          name: 'web',
          containers: [{ container: 'app', ...app }],
        },
      ],
    }),
  );
  return plan.plan_id;
}

/** preview → request_confirmation → the scripted person's decision → apply_recommendations. */
async function changeWeb(
  cluster: ClusterUnderTest,
  app: Record<string, unknown>,
  decision: Decision,
): Promise<{ applied: Applied; offered: boolean }> {
  const plan = { plan_id: await previewWeb(cluster, app) };
  const pending = call('request_confirmation', { plan_id: plan.plan_id });
  const shown = await approval!.surface.nextRequest();
  const offered = shown.request.resizeOption !== undefined;
  shown.decide(decision);
  const answer = data<{ status: string; confirmation_token: string; message: string }>(await pending);
  assert.equal(answer.status, 'approved', answer.message);
  const applied = data<Applied>(
    await call('apply_recommendations', { confirmation_token: answer.confirmation_token }),
  );
  assert.equal(applied.status, 'applied', applied.message);
  return { applied, offered };
}

/** Moves simulated time until the verification ends (a failure ends it early), at most its window. */
async function runVerification(cluster: ClusterUnderTest, verificationId: string): Promise<void> {
  let ended = false;
  const settled = approval!.verifications.settled(verificationId).then(() => (ended = true));
  for (let elapsed = 0; !ended && elapsed <= WINDOW_MS; elapsed += 10_000) {
    await cluster.advance(10_000);
  }
  await settled;
}

type Verification = {
  state: string;
  verdict: string | null;
  rollback_id: string;
  workloads: Array<{
    name: string;
    verdict: string | null;
    evidence: Array<{ kind: string; message: string }>;
  }>;
  message: string;
};

test('apply answers with a verification id; get_verification follows a memory cut to its OOM kills and the way back', async (t) => {
  const cluster = await start(t, '1.33');
  // The new pods run a minute, then exceed anything under 300Mi.
  cluster.sim!.behaviour.oomKill({
    namespace: cluster.namespace,
    workload: 'web',
    container: 'app',
    memoryLimitBelow: '300Mi',
    afterMs: 60_000,
  });
  const { applied } = await changeWeb(cluster, { limits: { memory: '256Mi' } }, 'approved');
  assert.ok(applied.verification_id, applied.message);
  assert.match(applied.message, /get_verification/);

  // Named before it starts, found once its started record is written.
  const running = data<Verification>(
    await call('get_verification', { verification_id: applied.verification_id }),
  );
  assert.equal(running.state, 'running');
  assert.equal(running.verdict, null);
  assert.equal(running.rollback_id, applied.rollback_id);

  await runVerification(cluster, applied.verification_id!);
  const done = data<Verification>(
    await call('get_verification', { verification_id: applied.verification_id }),
  );
  assert.equal(done.state, 'completed');
  assert.equal(done.verdict, 'degraded', JSON.stringify(done, null, 1));
  const evidence = done.workloads[0]!.evidence;
  assert.ok(
    evidence.some((e) => e.kind === 'oom-killed' && /was OOMKilled/.test(e.message)),
    JSON.stringify(evidence),
  );
  assert.ok(
    evidence.some((e) => e.kind === 'metrics' && /Prometheus could not be read/.test(e.message)),
    'missing metrics are said, not hidden',
  );
  assert.match(done.message, new RegExp(`rollback_changes with rollback_id "${applied.rollback_id}"`));

  // The history shows the verdict on the apply it verified.
  const history = data<{ records: Array<{ operation: string; verification?: { verdict: string | null } }> }>(
    await call('get_execution_history', { operation_filter: ['apply_completed'] }),
  );
  assert.ok(history.records.length > 0);
  for (const record of history.records) assert.equal(record.verification?.verdict, 'degraded');
});

test('a restart of the editor mid-verification: the next start resumes the same verification to one verdict', async (t) => {
  const cluster = await start(t, '1.33');
  const { applied } = await changeWeb(cluster, { requests: { cpu: '200m' } }, 'approved');
  const id = applied.verification_id!;
  // Once get_verification finds it, its started record (what a restart resumes from) is in the log.
  assert.equal(data<Verification>(await call('get_verification', { verification_id: id })).state, 'running');
  await cluster.advance(10_000);
  const resumed = await approval!.restartVerifications();
  assert.deepEqual(resumed, [id], 'the interrupted verification, and only it');
  const still = data<Verification>(await call('get_verification', { verification_id: id }));
  assert.equal(still.state, 'running', 'stopping the host wrote no verdict');

  await runVerification(cluster, id);
  const done = data<Verification>(await call('get_verification', { verification_id: id }));
  assert.equal(done.state, 'completed');
  assert.equal(done.verdict, 'healthy', JSON.stringify(done.workloads));
  const log = readFileSync(approval!.auditPath, 'utf8');
  const completed = log.split('\n').filter((l) => l.includes('"verification_completed"') && l.includes(id));
  assert.equal(completed.length, 1, 'one verdict for the one verification');
  assert.match(log, /"event":"resumed"/);
});

test('get_verification: an unknown id is an error naming verification_id; a malformed one is refused', async (t) => {
  await start(t, '1.33');
  const unknown = await call('get_verification', { verification_id: 'AAAAAAAAAAAAAAAA' });
  assert.equal(unknown.isError, true);
  assert.match(text(unknown), /verification_id "AAAAAAAAAAAAAAAA" is not in the audit log/);
  const malformed = await call('get_verification', { verification_id: '../../etc/passwd' });
  assert.equal(malformed.isError, true);
  assert.match(text(malformed), /verification_id/);
});

test('1.33: the person chooses "Approve and resize running pods": same pods, new values, no rollout', async (t) => {
  const cluster = await start(t, '1.33');
  const before = await webPods(cluster);
  const { applied, offered } = await changeWeb(cluster, { requests: { cpu: '200m' } }, 'approved-resize');
  assert.equal(offered, true);
  assert.deepEqual(
    applied.resized_pods?.map((p) => p.status),
    ['resized', 'resized'],
  );
  const after = await webPods(cluster);
  assert.deepEqual(podIdentity(after), podIdentity(before), 'same pods, same restart counts');
  for (const pod of after) assert.equal(pod.spec!.containers[0]!.resources!.requests!.cpu, '200m');
  assert.equal((await webReplicaSets(cluster)).length, 1, 'no new ReplicaSet');
});

test('1.33: a plain Approve patches the template only: the pods roll, nothing is resized', async (t) => {
  const cluster = await start(t, '1.33');
  const before = await webPods(cluster);
  const { applied, offered } = await changeWeb(cluster, { requests: { cpu: '200m' } }, 'approved');
  assert.equal(offered, true);
  assert.equal(applied.resized_pods, undefined);
  await cluster.advance(60_000, 10_000);
  const after = await webPods(cluster);
  assert.notDeepEqual(
    after.map((p) => p.metadata?.uid),
    before.map((p) => p.metadata?.uid),
    'the rollout replaced the pods',
  );
});

test('1.32: no resize is offered, and a surface that answers "approved-resize" anyway gets a rejection', async (t) => {
  const cluster = await start(t, '1.32');
  const plan = { plan_id: await previewWeb(cluster, { requests: { cpu: '200m' } }) };
  const pending = call('request_confirmation', { plan_id: plan.plan_id });
  const shown = await approval!.surface.nextRequest();
  assert.equal(shown.request.resizeOption, undefined);
  assert.equal(shown.request.details?.workloads[0]?.inPlaceResize, undefined);
  shown.decide('approved-resize');
  const answer = data<{ status: string; confirmation_token: string | null }>(await pending);
  assert.equal(answer.status, 'rejected');
  assert.equal(answer.confirmation_token, null);
});
