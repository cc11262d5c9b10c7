// The workloads a YAML file defines (every kind krr scans, also inside `kind: List`), read through zod:
// a document that claims to be a workload but is not a valid one makes the file an error, never a crash.

import { z } from 'zod';
import { podSpecPath } from '../../changes/workload-object.js';
import { KINDS, type WorkloadKind } from '../../recommend/model.js';
import { describeIssues } from '../resource-fields.js';
import type { YamlSource } from '../yaml-source.js';
import { containerNodes, type ContainerNode } from './container-nodes.js';

export interface WorkloadDocument {
  source: YamlSource;
  doc: number;
  /** From the document's root to the workload object ([] or ['items', i] in a List). */
  basePath: Array<string | number>;
  kind: WorkloadKind;
  apiVersion: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  containers: ContainerNode[];
}

const stringMap = z
  .record(z.string(), z.unknown())
  .transform((map) =>
    Object.fromEntries(Object.entries(map).filter((e): e is [string, string] => typeof e[1] === 'string')),
  );

const WorkloadSchema = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.enum(KINDS),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    labels: stringMap.nullish(),
  }),
});

const ContainersSchema = z.array(
  z.looseObject({ name: z.string().min(1), resources: z.unknown().optional() }),
);

/** The plain data of a document; aliases resolved, with the library's cap against alias bombs. */
export function documentData(
  source: YamlSource,
  docIndex: number,
): { ok: true; data: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, data: source.docs[docIndex]?.toJS({ maxAliasCount: 1000 }) };
  } catch (error) {
    return {
      ok: false,
      message: `document ${docIndex + 1}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Kinds named like ours but from another API group (a Knative "Deployment"…) are not ours. */
function isOurWorkload(value: Record<string, unknown>): boolean {
  if (!(KINDS as readonly unknown[]).includes(value.kind)) return false;
  const group = typeof value.apiVersion === 'string' ? value.apiVersion.split('/')[0]! : '';
  return value.kind === 'Rollout' ? group === 'argoproj.io' : ['apps', 'batch', 'extensions'].includes(group);
}

export function dataAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = data;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = isObject(current) ? current[step] : undefined;
  }
  return current;
}

function readWorkload(
  source: YamlSource,
  docIndex: number,
  basePath: Array<string | number>,
  value: Record<string, unknown>,
  where: string,
): WorkloadDocument | string {
  const parsed = WorkloadSchema.safeParse(value);
  if (!parsed.success) return `${where}: not a valid ${String(value.kind)} (${describeIssues(parsed.error)})`;
  const { kind, apiVersion, metadata } = parsed.data;
  const containersPath = [...basePath, ...podSpecPath(kind), 'containers'];
  const containers = ContainersSchema.safeParse(dataAt(value, containersPath.slice(basePath.length)) ?? []);
  if (!containers.success)
    return `${where}: the containers of ${kind} ${metadata.name} cannot be read (${describeIssues(containers.error)})`;
  return {
    source,
    doc: docIndex,
    basePath,
    kind,
    apiVersion,
    name: metadata.name,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    labels: metadata.labels ?? {},
    containers: containerNodes(source, docIndex, containersPath, containers.data, false),
  };
}

/** Every workload in a parsed file, and one message per document that claims to be one but is not. */
export function workloadDocuments(source: YamlSource): { workloads: WorkloadDocument[]; errors: string[] } {
  const workloads: WorkloadDocument[] = [];
  const errors: string[] = [];
  source.docs.forEach((_, docIndex) => {
    const read = documentData(source, docIndex);
    if (!read.ok) {
      errors.push(read.message);
      return;
    }
    const data = read.data;
    if (!isObject(data)) return;
    const where = `document ${docIndex + 1}`;
    const candidates: Array<[Array<string | number>, Record<string, unknown>, string]> = [];
    if (isOurWorkload(data)) candidates.push([[], data, where]);
    else if (data.kind === 'List' && Array.isArray(data.items))
      data.items.forEach((item, i) => {
        if (isObject(item) && isOurWorkload(item))
          candidates.push([['items', i], item, `${where}, items[${i}]`]);
      });
    for (const [basePath, value, label] of candidates) {
      const workload = readWorkload(source, docIndex, basePath, value, label);
      if (typeof workload === 'string') errors.push(workload);
      else workloads.push(workload);
    }
  });
  return { workloads, errors };
}
