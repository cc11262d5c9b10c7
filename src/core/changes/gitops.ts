// Who else writes this object. A workload that Argo CD or Flux syncs from Git, or that a Helm release owns,
// gets its live resources reverted at the next sync or upgrade: a live patch is then a change that silently
// disappears. The owner is read from the labels and annotations those tools put on what they apply.

export type GitOpsTool = 'Argo CD' | 'Flux' | 'Helm';

export interface GitOpsOwner {
  tool: GitOpsTool;
  /** The Argo CD application, the Flux Kustomization/HelmRelease, or the Helm release. */
  name: string;
}

type Metadata = Record<string, string> | null | undefined;

/** The tool that manages the object, if any: Argo CD and Flux before Helm (they also apply Helm charts). */
export function gitOpsOwner(labels: Metadata, annotations: Metadata): GitOpsOwner | undefined {
  const label = (key: string) => labels?.[key];
  const annotation = (key: string) => annotations?.[key];
  const trackingId = annotation('argocd.argoproj.io/tracking-id');
  if (trackingId) return { tool: 'Argo CD', name: trackingId.split(':')[0] ?? trackingId };
  const argoInstance = label('argocd.argoproj.io/instance');
  if (argoInstance) return { tool: 'Argo CD', name: argoInstance };
  for (const kind of ['kustomize', 'helm'] as const) {
    const name = label(`${kind}.toolkit.fluxcd.io/name`);
    if (name) {
      const namespace = label(`${kind}.toolkit.fluxcd.io/namespace`);
      return { tool: 'Flux', name: namespace ? `${namespace}/${name}` : name };
    }
  }
  const release = annotation('meta.helm.sh/release-name');
  if (release) return { tool: 'Helm', name: release };
  if (label('app.kubernetes.io/managed-by')?.toLowerCase() === 'helm')
    return {
      tool: 'Helm',
      name: label('app.kubernetes.io/instance') ?? label('release') ?? 'unknown release',
    };
  return undefined;
}

/** What the person approving (and the agent) is told about a live change to such a workload. */
export function gitOpsWarning(owner: GitOpsOwner): string {
  switch (owner.tool) {
    case 'Argo CD':
      return `managed by Argo CD (application ${owner.name}): a live change will be reverted at the next sync; change the manifests instead`;
    case 'Flux':
      return `managed by Flux (${owner.name}): a live change will be reverted at the next reconciliation; change the manifests instead`;
    case 'Helm':
      return `managed by Helm (release ${owner.name}): the next helm upgrade reverts a live change; change the chart's values instead`;
  }
}
