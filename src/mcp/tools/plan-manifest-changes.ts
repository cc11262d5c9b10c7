import { isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import {
  collectManifestFiles,
  planRecommendationEdits,
  unifiedDiff,
  type ManifestFile,
} from '../../core/manifests/index.js';
import type { ResourceScan } from '../../core/recommend/model.js';
import { recommendationId } from '../../core/recommend/recommendation-items.js';
import { STRATEGY_NAMES } from '../../core/recommend/settings.js';
import { defineTool, ToolError } from '../tool-definition.js';

/** The diffs an answer carries at most; beyond it each further file says it was cut. */
const MAX_DIFF_CHARS = 256 * 1024;

const inputSchema = z.strictObject({
  recommendation_ids: z
    .array(z.string().min(1).max(1000))
    .max(5000)
    .optional()
    .describe('Ids from scan_recommendations. Without them: every recommendation of a scan of `namespace`.'),
  namespace: z
    .union([z.string().min(1).max(253), z.array(z.string().min(1).max(253)).max(100)])
    .optional()
    .describe('Without recommendation_ids: the namespaces (or regexes) to scan; default every namespace'),
  strategy: z
    .enum(STRATEGY_NAMES)
    .optional()
    .describe('Without recommendation_ids: krr strategy of the scan'),
  paths: z
    .array(z.string().min(1).max(4096))
    .max(50)
    .optional()
    .describe(
      "Files or folders inside the client's workspace roots, searched for *.yaml/*.yml (default: the roots)",
    ),
  helm_release: z
    .string()
    .min(1)
    .max(53)
    .optional()
    .describe('Helm release of the workloads (default: their labels)'),
  values_file: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe('A Helm values file (helm -f), inside the workspace, read over values.yaml and written to'),
});

const location = z.object({ path: z.string(), line: z.number() });

const outputSchema = z.object({
  files: z.array(
    z.object({
      path: z.string(),
      created: z.boolean().describe('A new file (e.g. a Kustomize patch for one overlay)'),
      diff: z.string().describe('Unified diff (--- a/path, +++ b/path)'),
    }),
  ),
  containers: z.array(
    z.object({
      kind: z.string(),
      namespace: z.string(),
      name: z.string(),
      container: z.string(),
      status: z.enum(['edited', 'unchanged', 'not-found', 'ambiguous', 'unsupported']),
      reason: z.string().nullable(),
      defined_at: location.extend({ layer: z.string() }).nullable(),
      changes: z.array(
        z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() }),
      ),
      candidates: z.array(location.extend({ description: z.string() })),
    }),
  ),
  notes: z.array(z.string()),
  file_errors: z.array(z.object({ path: z.string(), message: z.string() })),
  skipped: z.array(z.object({ id: z.string(), field: z.string().nullable(), reason: z.string() })),
  next_step: z.string(),
});

/** Paths the agent names must stay inside the workspace: this tool reads files and returns their text. */
function insideWorkspace(path: string, roots: string[], parameter: string): string {
  const absolute = isAbsolute(path) ? resolve(path) : resolve(roots[0]!, path);
  const inside = roots.some((root) => {
    const rel = relative(root, absolute);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
  });
  if (!inside)
    throw new ToolError(`${parameter}: ${path} is outside the workspace (roots: ${roots.join(', ')}).`);
  return absolute;
}

export const planManifestChangesTool = defineTool({
  name: 'plan_manifest_changes',
  title: 'Plan manifest changes',
  description:
    "The GitOps path: instead of changing the live cluster, find where each recommendation's container is defined in the " +
    "workspace (plain YAML, the Kustomize layer that sets the value, a Helm chart's values) and return the minimal edits as " +
    'unified diffs, with anything ambiguous or unsupported spelled out. Read-only: nothing is written and the cluster is not ' +
    'touched. Make the edits with your own file tools; the person reviews them in the editor. Use it for workloads that ' +
    'preview_changes reports as managed by Argo CD, Flux or Helm.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, openWorldHint: false, idempotentHint: true, destructiveHint: false },
  async handler(args, context, call) {
    const roots = (await call.workspaceRoots()) ?? [process.cwd()];
    if (roots.length === 0) throw new ToolError('The client lists no workspace roots: open a folder first.');
    const paths = (args.paths ?? roots).map((p) => insideWorkspace(p, roots, 'paths'));
    const valuesFile = args.values_file ? insideWorkspace(args.values_file, roots, 'values_file') : undefined;

    const kube = context.kube();
    const idOf = (scan: ResourceScan) => recommendationId(kube.identity.context, scan);
    let scans: ResourceScan[];
    let ids: string[] | undefined;
    const skipped: Array<{ id: string; field: string | null; reason: string }> = [];
    if (args.recommendation_ids?.length) {
      ids = [];
      scans = [];
      for (const id of args.recommendation_ids) {
        const hit = context.scans.find(id);
        if (!hit) skipped.push({ id, field: null, reason: 'unknown id: run scan_recommendations first' });
        else {
          scans.push(hit.scan);
          ids.push(id);
        }
      }
    } else {
      const namespaces =
        args.namespace === undefined ? [] : Array.isArray(args.namespace) ? args.namespace : [args.namespace];
      const { snapshot } = await context.scans.scan(
        { namespaces, kinds: [], strategy: args.strategy ?? context.config.defaultStrategy, settings: {} },
        { onProgress: (p) => void call.progress(`${p.phase} ${p.done}/${p.total}`, p.done, p.total) },
      );
      scans = snapshot.result.scans;
    }

    const collected = await collectManifestFiles(paths);
    const display = (path: string) => relative(roots[0]!, resolve(path)) || '.';
    const files: ManifestFile[] = collected.files;
    const { plan, skipped: conversion } = planRecommendationEdits(files, scans, {
      idOf,
      ...(ids ? { ids } : {}),
      ...(args.helm_release || valuesFile
        ? {
            helm: {
              ...(args.helm_release ? { release: args.helm_release } : {}),
              ...(valuesFile ? { valuesFile } : {}),
            },
          }
        : {}),
    });
    for (const s of conversion) skipped.push({ id: s.id, field: s.field ?? null, reason: s.reason });

    let budget = MAX_DIFF_CHARS;
    const edits = (plan?.edits ?? []).map((edit) => {
      const diff = unifiedDiff(edit, display(edit.path));
      const fits = diff.length <= budget;
      budget -= fits ? diff.length : 0;
      return {
        path: display(edit.path),
        created: edit.created,
        diff: fits
          ? diff
          : `(diff of ${diff.length} characters left out: the answer is limited; plan fewer ids)`,
      };
    });
    const written = edits.length > 0;
    return {
      files: edits,
      containers: (plan?.containers ?? []).map((c) => ({
        kind: c.kind,
        namespace: c.namespace,
        name: c.name,
        container: c.container,
        status: c.status,
        reason: c.reason ?? null,
        defined_at: c.location
          ? { path: display(c.location.path), line: c.location.line, layer: c.location.layer }
          : null,
        changes: c.changes.map((f) => ({
          field: `${f.which}.${f.resource}`,
          from: f.from ?? null,
          to: f.to ?? null,
        })),
        candidates: c.candidates.map((x) => ({
          path: display(x.path),
          line: x.line,
          description: x.description,
        })),
      })),
      notes: plan?.notes ?? [],
      file_errors: [...collected.errors, ...(plan?.fileErrors ?? [])].map((e) => ({
        path: display(e.path),
        message: e.message,
      })),
      skipped,
      next_step: written
        ? 'Nothing was written. Apply these diffs with your file tools (paths are relative to the first workspace root) so the person reviews them in the editor; then commit them for Argo CD/Flux to sync.'
        : 'There is nothing to edit: see containers for why (not found, ambiguous, unsupported) and file_errors.',
    };
  },
});
