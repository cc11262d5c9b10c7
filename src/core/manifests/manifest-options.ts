// The options of a planning run, checked with zod: they come from settings and from the cluster.

import { z } from 'zod';
import { KINDS } from '../recommend/model.js';
import type { ManifestOptions } from './model.js';
import { describeIssues } from './resource-fields.js';

const OptionsSchema = z.strictObject({
  helm: z
    .strictObject({
      release: z.string().min(1).max(53).optional(),
      valuesFile: z.string().min(1).max(4096).optional(),
    })
    .optional(),
  workloadMetadata: z
    .array(
      z.object({
        kind: z.enum(KINDS),
        namespace: z.string().min(1),
        name: z.string().min(1),
        labels: z.record(z.string(), z.string()).nullish(),
        annotations: z.record(z.string(), z.string()).nullish(),
      }),
    )
    .optional(),
});

export class ManifestOptionsError extends Error {
  override name = 'ManifestOptionsError';
}

export function parseManifestOptions(options: unknown): ManifestOptions {
  const parsed = OptionsSchema.safeParse(options ?? {});
  if (!parsed.success)
    throw new ManifestOptionsError(`Invalid manifest options: ${describeIssues(parsed.error)}`);
  const { helm, workloadMetadata } = parsed.data;
  return {
    ...(helm ? { helm } : {}),
    ...(workloadMetadata
      ? {
          workloadMetadata: workloadMetadata.map(({ labels, annotations, ...rest }) => ({
            ...rest,
            ...(labels ? { labels } : {}),
            ...(annotations ? { annotations } : {}),
          })),
        }
      : {}),
  };
}
