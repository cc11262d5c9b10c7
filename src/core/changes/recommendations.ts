// krr scan rows → a change request. Only values krr actually computed are written: "?" (no data, not
// enough history, HPA…) leaves that resource untouched and is reported as skipped.

import type { RecommendationInfo, RecommendedValue, ResourceScan } from '../recommend/model.js';
import type { ChangeRequest, ContainerChange, WorkloadChange } from './change-request.js';
import { formatCpuCores, formatMemoryBytes } from './quantity-format.js';

export interface SkippedRecommendation {
  id: string;
  /** e.g. "requests.cpu"; absent when the whole recommendation was skipped. */
  field?: string;
  reason: string;
}

export interface RecommendationsConversion {
  /** null when nothing is left to change. */
  request: ChangeRequest | null;
  skipped: SkippedRecommendation[];
}

function unknownReason(info: RecommendationInfo): string {
  return info
    ? `krr could not compute it (${info}); left unchanged`
    : 'krr could not compute it; left unchanged';
}

export function changeRequestFromRecommendations(
  scans: ResourceScan[],
  ids: string[],
  idOf: (scan: ResourceScan) => string,
): RecommendationsConversion {
  const byId = new Map(scans.map((s) => [idOf(s), s]));
  const skipped: SkippedRecommendation[] = [];
  const workloads = new Map<string, WorkloadChange>();

  for (const id of [...new Set(ids)]) {
    const scan = byId.get(id);
    if (!scan) {
      skipped.push({ id, reason: 'no recommendation with this id in the scan' });
      continue;
    }
    const change: ContainerChange = {
      container: scan.object.container,
      source: 'recommendation',
      recommendationId: id,
    };
    const { requests, limits, info } = scan.recommended;
    const take = (
      field: string,
      value: RecommendedValue,
      format: (n: number) => string,
      infoText: RecommendationInfo,
      // krr's null limit means "no limit": `simple` leaves CPU unlimited, so the existing one is removed.
      nullMeansRemove: boolean,
    ): string | null | undefined => {
      if (value.value === '?') {
        skipped.push({ id, field, reason: unknownReason(infoText) });
        return undefined;
      }
      if (value.value === null) return nullMeansRemove ? null : undefined;
      return format(value.value);
    };
    const cpuRequest = take('requests.cpu', requests.cpu, formatCpuCores, info.cpu, false);
    const memoryRequest = take('requests.memory', requests.memory, formatMemoryBytes, info.memory, false);
    const cpuLimit = take('limits.cpu', limits.cpu, formatCpuCores, info.cpu, true);
    // The memory limit is the recommended memory (krr's rule: a limit above the request only delays OOM kills).
    const memoryLimit =
      typeof requests.memory.value === 'number' ? formatMemoryBytes(requests.memory.value) : undefined;
    if (cpuRequest !== undefined || memoryRequest !== undefined)
      change.requests = {
        ...(cpuRequest !== undefined ? { cpu: cpuRequest } : {}),
        ...(memoryRequest !== undefined ? { memory: memoryRequest } : {}),
      };
    if (cpuLimit !== undefined || memoryLimit !== undefined)
      change.limits = {
        ...(cpuLimit !== undefined ? { cpu: cpuLimit } : {}),
        ...(memoryLimit !== undefined ? { memory: memoryLimit } : {}),
      };
    if (!change.requests && !change.limits) {
      skipped.push({ id, reason: 'nothing krr could compute for this container' });
      continue;
    }
    const { kind, namespace, name } = scan.object;
    const key = `${namespace}/${kind}/${name}`;
    const workload = workloads.get(key) ?? { kind, namespace, name, containers: [] };
    if (workload.containers.some((c) => c.container === change.container)) {
      skipped.push({ id, reason: `container ${change.container} is already in the request` });
      continue;
    }
    workload.containers.push(change);
    workloads.set(key, workload);
  }
  return {
    request: workloads.size > 0 ? { workloads: [...workloads.values()] } : null,
    skipped,
  };
}
