// One Prometheus (Thanos, Mimir, VictoriaMetrics) holding the series of several clusters, told apart by a
// label: krr's `--prometheus-label`. The editor and the MCP server configure it once for every context; each
// context's readings then select its own value of the label.

import { z } from 'zod';
import type { ClusterLabel } from './promql.js';

/** Prometheus' label-name syntax. The name is written into PromQL as it is, so nothing else may pass. */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const ClusterLabelNameSchema = z
  .string()
  .regex(LABEL_NAME, 'must be a Prometheus label name: a letter or _, then letters, digits or _');

/** More contexts than this is a mistake in the file, not a fleet. */
const MAX_MAPPED_CONTEXTS = 1000;

/** Each context's value of the label, where it is not the context's own name (e.g. an EKS ARN). */
export const ClusterLabelValuesSchema = z
  .record(z.string().min(1, 'a context name is not empty'), z.string().min(1, 'a label value is not empty'))
  .refine((values) => Object.keys(values).length <= MAX_MAPPED_CONTEXTS, {
    message: `at most ${MAX_MAPPED_CONTEXTS} contexts`,
  });

export interface SharedPrometheus {
  /** The label that names the cluster on every series, e.g. `cluster`. */
  labelName: string;
  /** Context → the label's value; a context not listed is its own value (krr's rule for several clusters). */
  values: Readonly<Record<string, string>>;
}

/** The matcher a context's readings carry in the shared Prometheus; none when there is no shared one. */
export function clusterLabelFor(
  shared: SharedPrometheus | undefined,
  context: string,
): ClusterLabel | undefined {
  if (!shared) return undefined;
  const mapped = Object.hasOwn(shared.values, context) ? shared.values[context] : undefined;
  return { name: shared.labelName, value: mapped ?? context };
}
