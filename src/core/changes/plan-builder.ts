// Builds a ChangePlan from a change request and the live cluster: read each object, patch only the named
// containers, let the API server dry-run the patch, diff, and assess impact, risk, blocks and cost.
// API failures become per-workload blocks with the server's message, never exceptions.

import { randomBytes } from 'node:crypto';
import type { RiskSignals } from '../evidence/usage-history-model.js';
import { KubeApiError } from '../kube/errors.js';
import { hpaKey, listHpas, type HpaIndex } from '../kube/hpas.js';
import type { KubeTarget } from '../kube/kubeconfig.js';
import {
  parseChangeRequest,
  targetLabel,
  type ChangeRequest,
  type ContainerChange,
  type WorkloadChange,
} from './change-request.js';
import { applyChange, changedFields, RESOURCE_FIELDS } from './container-resources.js';
import { monthlyCostDelta, type Prices } from './cost.js';
import { driftSinceApply } from './drift.js';
import { diffableObject, diffObjects, toYaml } from './object-diff.js';
import {
  planHash,
  type ChangePlan,
  type DryRunResult,
  type PlannedContainer,
  type PlannedWorkload,
} from './plan.js';
import { quantityValue } from './quantity-format.js';
import { assessWorkloadRisk, levelOf, maxLevel, type ObservedUsage, type RiskReason } from './risk.js';
import type { SafetyRules } from './safety-rules.js';
import { WorkloadApi } from './workload-api.js';
import {
  containersOf,
  initContainerNames,
  metadataOf,
  stringMapOf,
  rolloutWorkloadRef,
  runningPods,
  templateChangeRestartsPods,
  type JsonObject,
} from './workload-object.js';
import { attachInPlaceResize } from '../resize/resize-plan.js';
import { gitOpsOwner } from './gitops.js';
import { buildWorkloadPatch, type ContainerEdit } from './workload-patch.js';

export interface BuildPlanOptions {
  safety: SafetyRules;
  prices: Prices;
  /** Keyed `namespace/kind/name/container`. */
  observed?: Map<string, ObservedUsage>;
  /**
   * What the approval authority could not read of the usage (readUsageEvidence): each line raises the plan's
   * risk to HIGH (the person is asked twice), or blocks it when the safety rules require evidence.
   */
  evidenceMissing?: string[];
  /**
   * Risk signals per container (OOM kills, throttling, restarts, HPA at max), keyed like `observed`: each
   * container already at risk adds a MEDIUM reason naming the trouble.
   */
  signals?: Map<string, RiskSignals>;
  /** HPAs already listed (listHpas); absent = listed here for the request's namespaces. */
  hpas?: HpaIndex;
  /**
   * 'offer': give every changed workload its in-place resize section (Kubernetes ≥ 1.33: which running pods
   * would be resized in place, restart a container, or cannot be); 'resize': also choose it for the plan
   * (resizeRunningPods). Absent: no section and no extra API calls.
   */
  inPlaceResize?: 'offer' | 'resize';
  timeoutMs?: number;
  now?: () => Date;
}

export function observedKey(namespace: string, kind: string, name: string, container: string): string {
  return `${namespace}/${kind}/${name}/${container}`;
}

export async function buildChangePlan(
  kube: KubeTarget,
  untrustedRequest: ChangeRequest,
  options: BuildPlanOptions,
): Promise<ChangePlan> {
  // Validated again here: the request often comes straight from an agent, and nothing unchecked may reach a patch.
  const request = parseChangeRequest(untrustedRequest);
  const api = new WorkloadApi(kube, options.timeoutMs);
  const { hpas, hpaProblem } = await hpaIndex(kube, request, options.hpas);
  const workloads: PlannedWorkload[] = [];
  for (const change of request.workloads) {
    workloads.push(await planWorkload(api, change, request.allowDrift === true, hpas, hpaProblem, options));
  }
  if (options.inPlaceResize) await attachInPlaceResize(kube, workloads, options.timeoutMs);
  const reasons: RiskReason[] = workloads.flatMap((w) =>
    w.risk.reasons.map((r) => ({ level: r.level, text: `${targetLabel(w.target)}: ${r.text}` })),
  );
  const blocks = workloads.flatMap((w) => w.blocks.map((b) => `${targetLabel(w.target)}: ${b}`));
  const missing = options.evidenceMissing ?? [];
  if (missing.length > 0) {
    const text = `usage evidence missing: ${missing.join('; ')}. The checks of the new values against the observed memory peak and CPU p95 could not run there`;
    reasons.push({ level: 'HIGH', text });
    if (options.safety.requireUsageEvidence)
      blocks.push(
        `${text} (the safety rules require usage evidence: REQUIRE_USAGE_EVIDENCE, krrMcp.requireUsageEvidence)`,
      );
  }
  // Two HIGH reasons on different workloads do not make either more dangerous: the plan takes the worst.
  const planLevel = maxLevel([
    ...workloads.map((w) => w.risk.level),
    ...(missing.length > 0 ? (['HIGH'] as const) : []),
  ]);
  const plan: Omit<ChangePlan, 'hash'> = {
    id: randomBytes(16).toString('base64url'),
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    cluster: kube.identity,
    workloads,
    risk: { level: planLevel, reasons },
    blocks,
    ...(options.evidenceMissing ? { evidenceMissing: options.evidenceMissing } : {}),
    monthlyCostDelta: workloads.reduce((sum, w) => sum + w.cost.monthlyDelta, 0),
    ...(options.inPlaceResize === 'resize' && workloads.some((w) => w.inPlaceResize?.offered)
      ? { resizeRunningPods: true }
      : {}),
  };
  return { ...plan, hash: planHash(plan) };
}

async function hpaIndex(
  kube: KubeTarget,
  request: ChangeRequest,
  given: HpaIndex | undefined,
): Promise<{ hpas: HpaIndex; hpaProblem?: string }> {
  if (given) return { hpas: given };
  const namespaces = [...new Set(request.workloads.map((w) => w.namespace))];
  try {
    return { hpas: await listHpas(kube, namespaces) };
  } catch (error) {
    return { hpas: new Map(), hpaProblem: (error as Error).message };
  }
}

function emptyWorkload(
  change: WorkloadChange,
  blocks: string[],
  uid = '',
  resourceVersion = '',
): PlannedWorkload {
  return {
    target: { kind: change.kind, namespace: change.namespace, name: change.name },
    uid,
    resourceVersion,
    patch: null,
    containers: [],
    dryRun: { ok: 'skipped', reason: 'blocked before a patch could be built' },
    diff: '',
    impact: { pods: 0, restartRequired: false, hpa: null },
    risk: { level: 'LOW', reasons: [] },
    blocks,
    cost: { monthlyDelta: 0, replicas: 0 },
  };
}

function agentSupplied(change: ContainerChange): string[] {
  if (change.source !== 'agent') return [];
  return RESOURCE_FIELDS.filter(([which, resource]) => change[which]?.[resource] !== undefined).map(
    ([which, resource]) => `${which}.${resource}`,
  );
}

async function planWorkload(
  api: WorkloadApi,
  change: WorkloadChange,
  allowDrift: boolean,
  hpas: HpaIndex,
  hpaProblem: string | undefined,
  options: BuildPlanOptions,
): Promise<PlannedWorkload> {
  const target = { kind: change.kind, namespace: change.namespace, name: change.name };
  let live: JsonObject;
  try {
    live = await api.read(target);
  } catch (error) {
    return emptyWorkload(change, [(error as Error).message]);
  }
  const { uid, resourceVersion, generation } = metadataOf(live);
  const blocks: string[] = [];
  const drift = driftSinceApply(
    { resourceVersion, ...(generation !== undefined ? { generation } : {}) },
    {
      ...(change.expectedGeneration !== undefined ? { generation: change.expectedGeneration } : {}),
      ...(change.expectedResourceVersion !== undefined
        ? { resourceVersion: change.expectedResourceVersion }
        : {}),
    },
  );
  if (drift && !allowDrift)
    blocks.push(
      `the object changed since our apply: ${drift}; restoring would overwrite that change (allowDrift to do it anyway)`,
    );

  if (target.kind === 'Rollout') {
    const ref = rolloutWorkloadRef(live);
    if (ref)
      return emptyWorkload(
        change,
        [...blocks, `the Rollout takes its pod template from ${ref}; change that object instead`],
        uid,
        resourceVersion,
      );
  }

  // A strategic merge patch naming a container that does not exist would add one: refuse unknown names.
  const liveContainers = containersOf(target.kind, live);
  const unknown = change.containers.filter((c) => !liveContainers.some((l) => l.name === c.container));
  if (unknown.length > 0) {
    const inits = initContainerNames(target.kind, live);
    for (const u of unknown) {
      blocks.push(
        inits.includes(u.container)
          ? `container "${u.container}" is an init container; only regular containers can be changed`
          : `container "${u.container}" does not exist in ${targetLabel(target)} (containers: ${liveContainers.map((l) => l.name).join(', ') || 'none'}); refusing to write a patch that would add it`,
      );
    }
    return emptyWorkload(change, blocks, uid, resourceVersion);
  }

  const edits: ContainerEdit[] = [];
  const containers: PlannedContainer[] = [];
  for (const c of change.containers) {
    const current = liveContainers.find((l) => l.name === c.container)!;
    const desired = applyChange(current.resources, c);
    edits.push({
      index: current.index,
      name: c.container,
      current: current.resources,
      desired,
      rawResources: current.rawResources,
    });
    containers.push({
      container: c.container,
      source: c.source,
      ...(c.recommendationId !== undefined ? { recommendationId: c.recommendationId } : {}),
      before: current.resources,
      after: desired,
      changes: changedFields(current.resources, desired),
      agentSupplied: agentSupplied(c),
    });
  }
  const nothingChanges = containers.every((c) => c.changes.length === 0);
  const patch = nothingChanges ? null : buildWorkloadPatch(target.kind, resourceVersion, edits);

  let dryRun: DryRunResult = { ok: 'skipped', reason: 'the requested values equal the live ones' };
  let diff = '';
  let yaml: PlannedWorkload['yaml'];
  if (patch) {
    try {
      const after = await api.patch(target, patch, true);
      dryRun = { ok: true };
      diff = diffObjects(live, after, targetLabel(target));
      yaml = { live: toYaml(diffableObject(live)), dryRun: toYaml(diffableObject(after)) };
    } catch (error) {
      const status = error instanceof KubeApiError ? error.status : undefined;
      const message = (error as Error).message;
      dryRun = { ok: false, ...(status !== undefined ? { status } : {}), message };
      blocks.push(`the API server refused the dry-run: ${message}`);
    }
  }

  const pods = runningPods(target.kind, live);
  const restartRequired = patch !== null && templateChangeRestartsPods(target.kind);
  const hpa = hpas.get(hpaKey(target.namespace, target.kind, target.name)) ?? null;
  const managedBy = gitOpsOwner(stringMapOf(live, 'labels'), stringMapOf(live, 'annotations'));
  const assessment = assessWorkloadRisk(
    {
      target,
      ...(managedBy ? { managedBy } : {}),
      pods,
      restartRequired,
      hpa,
      containers: containers.map((c) => {
        const key = observedKey(target.namespace, target.kind, target.name, c.container);
        const observed = options.observed?.get(key);
        const signals = options.signals?.get(key);
        return {
          container: c.container,
          ...(c.source === 'rollback' ? { restoring: true } : {}),
          current: c.before,
          desired: c.after,
          changes: c.changes,
          ...(observed ? { observed } : {}),
          ...(signals ? { signals } : {}),
        };
      }),
    },
    options.safety,
  );
  if (hpaProblem)
    assessment.reasons.push({
      level: 'MEDIUM',
      text: `HPAs could not be listed, so an autoscaler may be missed: ${hpaProblem}`,
    });
  const agentFields = containers.flatMap((c) => c.agentSupplied.map((f) => `${c.container} ${f}`));
  if (agentFields.length > 0)
    assessment.reasons.push({
      level: 'LOW',
      text: `values chosen by the agent, not by a recommendation: ${agentFields.join(', ')}`,
    });

  const replicas = pods ?? 0;
  const deltas = containers.map((c) => ({
    cpuCores: (quantityValue(c.after.requests.cpu) ?? 0) - (quantityValue(c.before.requests.cpu) ?? 0),
    memoryBytes:
      (quantityValue(c.after.requests.memory) ?? 0) - (quantityValue(c.before.requests.memory) ?? 0),
  }));
  return {
    target,
    uid,
    resourceVersion,
    patch,
    containers,
    dryRun,
    diff,
    ...(yaml ? { yaml } : {}),
    impact: { pods: pods ?? 'next run', restartRequired, hpa },
    ...(managedBy ? { managedBy } : {}),
    risk: { level: levelOf(assessment.reasons), reasons: assessment.reasons },
    blocks: [...blocks, ...assessment.blocks],
    cost: {
      monthlyDelta: monthlyCostDelta(deltas, replicas, options.prices),
      replicas,
      ...(pods === undefined ? { note: 'Job/CronJob runs are billed by duration; not estimated' } : {}),
    },
  };
}
