// Workloads of standalone manifests (applied with `kubectl apply -f`): one layer, the document itself.

import type { ContainerCandidate } from '../container-candidate.js';
import { splitField } from '../resource-fields.js';
import type { Workspace } from '../workspace.js';

export function plainCandidates(workspace: Workspace, keys: readonly string[]): ContainerCandidate[] {
  const candidates: ContainerCandidate[] = [];
  for (const key of keys) {
    for (const workload of workspace.workloadsIn(key)) {
      for (const container of workload.containers) {
        candidates.push({
          kind: workload.kind,
          ...(workload.namespace ? { namespace: workload.namespace } : {}),
          name: workload.name,
          container: container.name,
          source: 'plain',
          origin: workload.source.path,
          layers: [
            {
              fileKey: key,
              source: workload.source,
              doc: workload.doc,
              fieldPath: (field) => [...container.path, 'resources', ...splitField(field)],
              values: container.values,
              label: workload.source.path,
              location: container.location,
              definesResources: container.hasResources,
            },
          ],
          ...(container.problem ? { problem: container.problem } : {}),
        });
      }
    }
  }
  return candidates;
}
