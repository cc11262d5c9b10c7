// Which definition in the files is the live container a request names. A document without a namespace
// (applied with `-n`) matches only when it is the only definition of that kind/name/container; Helm
// charts are looked at when the live workload says Helm manages it, or when nothing else matches.

import type { WorkloadKind } from '../recommend/model.js';
import type { ContainerCandidate } from './container-candidate.js';
import { helmCandidatesFor } from './helm/helm-candidates.js';
import type { ManifestModel } from './manifest-model.js';
import type { ClusterWorkloadMetadata, ManifestOptions } from './model.js';

export interface ContainerTarget {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  container: string;
}

export type ContainerMatch =
  | { status: 'found'; candidate: ContainerCandidate }
  | { status: 'ambiguous'; candidates: ContainerCandidate[]; reason: string }
  | { status: 'not-found'; reason: string };

export function describeTarget(t: ContainerTarget): string {
  return `${t.kind} ${t.namespace}/${t.name} container ${t.container}`;
}

function isHelmManaged(metadata: ClusterWorkloadMetadata | undefined): boolean {
  const labels = metadata?.labels ?? {};
  const annotations = metadata?.annotations ?? {};
  return (
    labels['app.kubernetes.io/managed-by']?.toLowerCase() === 'helm' ||
    annotations['meta.helm.sh/release-name'] !== undefined ||
    labels['helm.sh/chart'] !== undefined
  );
}

function matchDefinitions(
  candidates: readonly ContainerCandidate[],
  target: ContainerTarget,
): ContainerMatch {
  const sameWorkload = candidates.filter((c) => c.kind === target.kind && c.name === target.name);
  const sameContainer = sameWorkload.filter((c) => c.container === target.container);
  const exact = sameContainer.filter((c) => c.namespace === target.namespace);
  if (exact.length === 1) return { status: 'found', candidate: exact[0]! };
  if (exact.length > 1)
    return {
      status: 'ambiguous',
      candidates: exact,
      reason: `${exact.length} definitions of ${describeTarget(target)}`,
    };
  const withoutNamespace = sameContainer.filter((c) => c.namespace === undefined);
  if (withoutNamespace.length === 1 && sameContainer.length === 1)
    return { status: 'found', candidate: withoutNamespace[0]! };
  if (withoutNamespace.length > 0)
    return {
      status: 'ambiguous',
      candidates: sameContainer,
      reason: `${target.kind} ${target.name} is defined without a namespace and is not the only definition of it`,
    };
  const inNamespace = sameWorkload.filter(
    (c) => c.namespace === target.namespace || c.namespace === undefined,
  );
  if (inNamespace.length > 0) {
    const names = [...new Set(inNamespace.map((c) => c.container))].join(', ');
    return {
      status: 'not-found',
      reason: `${target.kind} ${target.namespace}/${target.name} has no container ${target.container} in the files (it has ${names})`,
    };
  }
  if (sameContainer.length > 0) {
    const namespaces = [...new Set(sameContainer.map((c) => c.namespace))].join(', ');
    return {
      status: 'not-found',
      reason: `${target.kind} ${target.name} is defined only for namespace(s) ${namespaces}`,
    };
  }
  return { status: 'not-found', reason: `no file defines ${target.kind} ${target.namespace}/${target.name}` };
}

export function matchContainer(
  model: ManifestModel,
  target: ContainerTarget,
  metadata: ClusterWorkloadMetadata | undefined,
  options: ManifestOptions,
): ContainerMatch {
  const helmManaged = isHelmManaged(metadata);
  const fromFiles = helmManaged ? undefined : matchDefinitions(model.candidates, target);
  if (fromFiles && fromFiles.status !== 'not-found') return fromFiles;
  const helm = helmCandidatesFor(model.workspace, model.charts, target, metadata, options);
  if (helm.length === 1) return { status: 'found', candidate: helm[0]! };
  if (helm.length > 1)
    return {
      status: 'ambiguous',
      candidates: helm,
      reason: `${helm.length} chart templates could render ${describeTarget(target)}`,
    };
  if (fromFiles) return fromFiles;
  const chartLabel = metadata?.labels?.['helm.sh/chart'];
  if (model.charts.length === 0)
    return {
      status: 'not-found',
      reason: `Helm manages ${target.kind} ${target.namespace}/${target.name}, but no chart (Chart.yaml) is among the files`,
    };
  if (chartLabel !== undefined && !model.charts.some((chart) => chartLabel.startsWith(`${chart.name}-`)))
    return { status: 'not-found', reason: `its chart (helm.sh/chart: ${chartLabel}) is not among the files` };
  return { status: 'not-found', reason: `no chart among the files renders ${describeTarget(target)}` };
}
