// Live object vs dry-run result as YAML, without the fields every write changes (managedFields,
// resourceVersion, generation) or that the change cannot touch (status): the diff shows only our change.

import { stringify } from 'yaml';
import { unifiedDiff } from './yaml-diff.js';

export function diffableObject(object: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(object ?? {})) as Record<string, unknown>;
  delete copy.status;
  const metadata = copy.metadata as Record<string, unknown> | undefined;
  if (metadata) {
    delete metadata.managedFields;
    delete metadata.resourceVersion;
    delete metadata.generation;
  }
  return copy;
}

export function toYaml(object: unknown): string {
  return stringify(object, { sortMapEntries: false, lineWidth: 0 });
}

export function diffObjects(live: unknown, after: unknown, label: string): string {
  return unifiedDiff(toYaml(diffableObject(live)), toYaml(diffableObject(after)), {
    oldLabel: `${label} (live)`,
    newLabel: `${label} (dry-run)`,
  });
}
