// A chart's values as layers: values.yaml, then the values file given for the release (`helm -f`), which
// wins and is the one written when it is given (values.yaml holds the defaults of every release).

import { isMap, isScalar, type Node } from 'yaml';
import { z } from 'zod';
import type { ResourcesLayer } from '../container-candidate.js';
import { findPair } from '../edit/edit-context.js';
import { normalizePath } from '../manifest-paths.js';
import type { ManifestOptions, SourceLocation } from '../model.js';
import { describeIssues, FIELD_KEYS, type FieldKey, type FieldValues } from '../resource-fields.js';
import { dataAt, documentData } from '../workloads/workload-documents.js';
import type { Workspace } from '../workspace.js';
import type { YamlSource } from '../yaml-source.js';
import type { HelmChart } from './helm-chart.js';
import type { ValuesPath } from './template-resources.js';

export interface ValuesFile {
  key: string;
  source: YamlSource;
  data: Record<string, unknown>;
  /** The release's values file (else the chart's values.yaml). */
  release: boolean;
}

const ValuesSchema = z.record(z.string(), z.unknown()).nullable();

function readValues(workspace: Workspace, key: string, release: boolean): ValuesFile | string {
  const path = workspace.file(key)?.path ?? key;
  if (!workspace.has(key)) return `the values file ${path} is not among the files read`;
  const source = workspace.yaml(key);
  if (!source) return `${path} cannot be read`;
  const read = source.docs.length === 0 ? { ok: true as const, data: null } : documentData(source, 0);
  const parsed = read.ok ? ValuesSchema.safeParse(read.data ?? null) : undefined;
  if (!read.ok || !parsed?.success) {
    workspace.fail(key, read.ok ? `values must be a map (${describeIssues(parsed!.error!)})` : read.message);
    return `${path} cannot be read`;
  }
  return { key, source, data: parsed.data ?? {}, release };
}

/** values.yaml and the release's values file, bottom to top, or why they cannot be read. */
export function chartValues(
  workspace: Workspace,
  chart: HelmChart,
  options: ManifestOptions,
): ValuesFile[] | string {
  const files: ValuesFile[] = [];
  if (chart.valuesKey) {
    const values = readValues(workspace, chart.valuesKey, false);
    if (typeof values === 'string') return values;
    files.push(values);
  }
  const given = options.helm?.valuesFile;
  if (given !== undefined) {
    const values = readValues(workspace, normalizePath(given), true);
    if (typeof values === 'string') return values;
    files.push(values);
  }
  if (files.length === 0) return `chart ${chart.name} has no values.yaml among the files read`;
  return files;
}

/** Effective values (a later file wins; null removes a default), for names and overrides. */
export function mergedValues(files: readonly ValuesFile[]): Record<string, unknown> {
  const merge = (a: unknown, b: unknown): unknown => {
    if (
      typeof a !== 'object' ||
      a === null ||
      Array.isArray(a) ||
      typeof b !== 'object' ||
      b === null ||
      Array.isArray(b)
    )
      return b;
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) {
      if (v === null) delete out[k];
      else out[k] = merge(out[k], v);
    }
    return out;
  };
  return files.reduce<Record<string, unknown>>(
    (acc, file) => merge(acc, file.data) as Record<string, unknown>,
    {},
  );
}

/** The deepest key of `path` present in the file (or the file's start). */
function keyLocation(file: ValuesFile, path: ValuesPath): { location: SourceLocation; found: boolean } {
  let node: unknown = file.source.docs[0]?.contents;
  let offset = 0;
  let depth = 0;
  for (const step of path) {
    const pair = isMap(node) ? findPair(node, step) : undefined;
    if (!pair || !isScalar(pair.key)) break;
    offset = (pair.key as Node).range?.[0] ?? offset;
    node = pair.value;
    depth++;
  }
  return { location: file.source.locate(offset), found: depth === path.length };
}

export function valuesLayer(
  file: ValuesFile,
  fields: Partial<Record<FieldKey, { path: ValuesPath }>>,
  resourcesPath: ValuesPath,
  sharedBy: string | undefined,
): { layer: ResourcesLayer; problem?: string } {
  const values: FieldValues = {};
  let problem: string | undefined;
  for (const field of FIELD_KEYS) {
    const path = fields[field]?.path;
    const value = path ? dataAt(file.data, path) : undefined;
    if (typeof value === 'string' || typeof value === 'number') values[field] = String(value);
    else if (value === null && file.release) values[field] = null;
    else if (value !== undefined && value !== null)
      problem ??= `${file.source.path}: ${path!.join('.')} is not a quantity`;
  }
  const where = keyLocation(file, resourcesPath);
  return {
    layer: {
      fileKey: file.key,
      source: file.source,
      doc: 0,
      fieldPath: (field) => fields[field]?.path,
      values,
      ...(sharedBy ? { sharedBy } : {}),
      label: `values ${file.source.path}`,
      location: where.location,
      definesResources: where.found,
    },
    ...(problem ? { problem } : {}),
  };
}
