// Shared by the manifests tests: the fixture repository (paths relative to its root, so that messages and
// diffs read the same on every machine) and small builders for change requests.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { ChangeRequest, ContainerChange } from '../../../../src/core/changes/change-request.js';
import {
  collectManifestFiles,
  type ManifestEdit,
  type ManifestFile,
  type ManifestPlan,
} from '../../../../src/core/manifests/index.js';
import type { WorkloadKind } from '../../../../src/core/recommend/model.js';

export const FIXTURE_ROOT = fileURLToPath(new URL('../../../fixtures/manifests', import.meta.url));

/** The fixture files under the given folders, with paths like "kustomize/overlays/prod/kustomization.yaml". */
export async function fixtureFiles(...folders: string[]): Promise<ManifestFile[]> {
  const roots = folders.length > 0 ? folders.map((f) => `${FIXTURE_ROOT}/${f}`) : [FIXTURE_ROOT];
  const { files, errors } = await collectManifestFiles(roots);
  assert.deepEqual(errors, []);
  return files.map((file) => ({ path: file.path.slice(FIXTURE_ROOT.length + 1), text: file.text }));
}

type Values = { cpu?: string | null; memory?: string | null };

export function change(container: string, values: { requests?: Values; limits?: Values }): ContainerChange {
  return { container, source: 'recommendation', ...values };
}

export function request(
  ...workloads: Array<[WorkloadKind, string, string, ContainerChange[]]>
): ChangeRequest {
  return {
    workloads: workloads.map(([kind, namespace, name, containers]) => ({
      kind,
      namespace,
      name,
      containers,
    })),
  };
}

/** krr's `simple` result for a container: CPU request, no CPU limit, memory request = limit. */
export function simple(container: string, cpu: string, memory: string): ContainerChange {
  return change(container, { requests: { cpu, memory }, limits: { cpu: null, memory } });
}

export function editOf(plan: ManifestPlan, path: string): ManifestEdit {
  const edit = plan.edits.find((e) => e.path === path);
  assert.ok(edit, `no edit of ${path}; edited: ${plan.edits.map((e) => e.path).join(', ') || 'nothing'}`);
  return edit;
}

/** The files after the plan's edits (created files added). */
export function applied(files: readonly ManifestFile[], plan: ManifestPlan): ManifestFile[] {
  const after = files.map((file) => {
    const edit = plan.edits.find((e) => e.path === file.path);
    return edit ? { path: file.path, text: edit.after } : file;
  });
  return [...after, ...plan.edits.filter((e) => e.created).map((e) => ({ path: e.path, text: e.after }))];
}

export function statuses(plan: ManifestPlan): string[] {
  return plan.containers.map((c) => `${c.kind} ${c.namespace}/${c.name} ${c.container}: ${c.status}`);
}
