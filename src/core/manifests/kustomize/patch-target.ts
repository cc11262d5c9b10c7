// Which workloads a Kustomize patch applies to: its `target:` selector, else the patch's own kind and
// name. A workload is matched by any name it had on its way up (kustomize matches original names too).

import type { PatchTarget } from './kustomization-file.js';

export interface PatchSubject {
  kind: string;
  apiVersion: string;
  /** Every name it had, from the base's to the current one. */
  names: string[];
  namespaces: Array<string | undefined>;
  labels: Record<string, string>;
}

export type TargetMatch = boolean | { unsupported: string };

function nameMatches(pattern: string, name: string): boolean {
  // kustomize reads target names as anchored regular expressions.
  try {
    return new RegExp(`^(?:${pattern})$`).test(name);
  } catch {
    return pattern === name;
  }
}

function selectorMatches(selector: string, labels: Record<string, string>): TargetMatch {
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const m = /^(!?)([A-Za-z0-9._/-]+)\s*(?:(==|=|!=)\s*([A-Za-z0-9._-]*))?$/.exec(term);
    if (!m) return { unsupported: `the label selector "${selector}" is not read (only k=v, k!=v, k and !k)` };
    const [, not, key, op, value] = m;
    const has = Object.hasOwn(labels, key!);
    if (op === undefined ? (not ? has : !has) : op === '!=' ? labels[key!] === value : labels[key!] !== value)
      return false;
  }
  return true;
}

export function matchesTarget(target: PatchTarget, subject: PatchSubject): TargetMatch {
  const [group, version] = subject.apiVersion.includes('/')
    ? subject.apiVersion.split('/')
    : ['', subject.apiVersion];
  if (target.kind !== undefined && target.kind !== subject.kind) return false;
  if (target.group !== undefined && target.group !== group) return false;
  if (target.version !== undefined && target.version !== version) return false;
  if (target.name !== undefined && !subject.names.some((name) => nameMatches(target.name!, name)))
    return false;
  if (target.namespace !== undefined && !subject.namespaces.includes(target.namespace)) return false;
  if (target.annotationSelector !== undefined)
    return { unsupported: `the annotation selector "${target.annotationSelector}" is not read` };
  return target.labelSelector !== undefined ? selectorMatches(target.labelSelector, subject.labels) : true;
}

/** A strategic-merge patch without a target applies to the workload with its kind and name. */
export function matchesPatchIdentity(
  patch: { kind?: string; name?: string; namespace?: string },
  subject: PatchSubject,
): boolean {
  return (
    patch.kind === subject.kind &&
    patch.name !== undefined &&
    subject.names.includes(patch.name) &&
    (patch.namespace === undefined || subject.namespaces.includes(patch.namespace))
  );
}
