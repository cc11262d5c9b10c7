// Helm charts among the files: a directory with a Chart.yaml (read through zod), its values.yaml and its
// templates. Templates are text to us: they are never rendered or executed.

import { z } from 'zod';
import { baseName, directoryOf, isWithin, joinPath } from '../manifest-paths.js';
import { describeIssues } from '../resource-fields.js';
import { documentData } from '../workloads/workload-documents.js';
import type { Workspace } from '../workspace.js';

export interface HelmTemplate {
  key: string;
  path: string;
  text: string;
}

export interface HelmChart {
  name: string;
  version: string;
  dir: string;
  /** Chart.yaml as given. */
  path: string;
  valuesKey?: string;
  templates: HelmTemplate[];
}

const ChartSchema = z.looseObject({
  name: z.string().min(1),
  version: z.union([z.string(), z.number()]).transform(String).optional(),
});

function isChartFile(key: string): boolean {
  return baseName(key) === 'Chart.yaml';
}

export function helmCharts(workspace: Workspace): HelmChart[] {
  const keys = workspace.keys();
  const charts: HelmChart[] = [];
  for (const chartKey of keys.filter(isChartFile).sort()) {
    const source = workspace.yaml(chartKey);
    if (!source) continue;
    const read = documentData(source, 0);
    const parsed = read.ok ? ChartSchema.safeParse(read.data) : undefined;
    if (!read.ok || !parsed?.success) {
      workspace.fail(
        chartKey,
        read.ok ? `not a valid Chart.yaml (${describeIssues(parsed!.error!)})` : read.message,
      );
      continue;
    }
    const dir = directoryOf(chartKey);
    const templatesDir = joinPath(dir, 'templates');
    const valuesKey = joinPath(dir, 'values.yaml');
    charts.push({
      name: parsed.data.name,
      version: parsed.data.version ?? '',
      dir,
      path: source.path,
      ...(workspace.has(valuesKey) ? { valuesKey } : {}),
      templates: keys
        .filter(
          (key) =>
            isWithin(key, templatesDir) && /\.(ya?ml|tpl)$/i.test(key) && !baseName(key).startsWith('_'),
        )
        .sort()
        .map((key) => ({ key, path: workspace.file(key)!.path, text: workspace.file(key)!.text })),
    });
  }
  return charts;
}

/** Files inside a chart are the chart's (templates are not YAML, values are not manifests). */
export function chartOwned(charts: readonly HelmChart[]): (key: string) => boolean {
  return (key) => charts.some((chart) => isWithin(key, chart.dir));
}
