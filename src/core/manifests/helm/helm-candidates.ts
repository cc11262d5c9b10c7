// Which chart template renders a workload, and the values layers that feed its containers' resources.
// The chart comes from the live workload's Helm labels when known (helm.sh/chart, the release), else
// from names; a template is never rendered, only read.

import type { WorkloadKind } from '../../recommend/model.js';
import type { ContainerCandidate } from '../container-candidate.js';
import type { ClusterWorkloadMetadata, ManifestOptions } from '../model.js';
import type { FieldKey } from '../resource-fields.js';
import type { Workspace } from '../workspace.js';
import type { HelmChart, HelmTemplate } from './helm-chart.js';
import { chartValues, mergedValues, valuesLayer } from './helm-values.js';
import { scanTemplate, type TemplateContainer, type TemplateWorkload } from './template-resources.js';

const FULLNAME = /^\{\{-?\s*(?:include|template)\s+"[^"]+\.fullname"\s+\.\s*-?\}\}([^{}]*)$/;
const RELEASE = /^\{\{-?\s*\.Release\.Name\s*-?\}\}([^{}]*)$/;
const CHART_NAME = /^\{\{-?\s*(?:\.Chart\.Name|(?:include|template)\s+"[^"]+\.name"\s+\.)\s*-?\}\}([^{}]*)$/;

/** What `helm create`'s helpers compute: fullnameOverride, else the release (+ "-" + name unless it has it). */
function fullname(release: string, chartName: string, values: Record<string, unknown>): string {
  const trim = (s: string) => s.slice(0, 63).replace(/-+$/, '');
  if (typeof values.fullnameOverride === 'string' && values.fullnameOverride !== '')
    return trim(values.fullnameOverride);
  return trim(release.includes(chartName) ? release : `${release}-${chartName}`);
}

function nameOf(chart: HelmChart, values: Record<string, unknown>): string {
  return typeof values.nameOverride === 'string' && values.nameOverride !== ''
    ? values.nameOverride
    : chart.name;
}

/** The workload name the template renders, when the release is known (undefined: cannot tell). */
function renderedName(
  workload: TemplateWorkload,
  chart: HelmChart,
  values: Record<string, unknown>,
  release: string,
): string | undefined {
  const text = workload.nameText;
  if (text === undefined) return undefined;
  if (!text.includes('{{')) return text;
  const name = nameOf(chart, values);
  const full = FULLNAME.exec(text);
  if (full) return fullname(release, name, values) + full[1]!.trim();
  const rel = RELEASE.exec(text);
  if (rel) return release + rel[1]!.trim();
  const chartName = CHART_NAME.exec(text);
  if (chartName) return name + chartName[1]!.trim();
  return undefined;
}

/** Whether the template renders a workload of this name (for the given release, or for some release). */
function couldRender(
  workload: TemplateWorkload,
  chart: HelmChart,
  values: Record<string, unknown>,
  name: string,
  release: string | undefined,
): boolean {
  const text = workload.nameText;
  if (text === undefined) return true;
  if (release !== undefined) {
    const rendered = renderedName(workload, chart, values, release);
    return rendered === undefined || rendered === name;
  }
  if (!text.includes('{{')) return text === name;
  const full = FULLNAME.exec(text);
  const rel = RELEASE.exec(text);
  const chartName = CHART_NAME.exec(text);
  const suffix = (full ?? rel ?? chartName)?.[1]?.trim();
  if (suffix === undefined) return true;
  if (!name.endsWith(suffix)) return false;
  const stem = name.slice(0, name.length - suffix.length);
  if (chartName) return stem === nameOf(chart, values);
  if (full) {
    const override = values.fullnameOverride;
    return typeof override === 'string' && override !== ''
      ? stem === override
      : stem.includes(nameOf(chart, values));
  }
  return stem !== '';
}

function containerMatches(
  container: TemplateContainer,
  wanted: string,
  chart: HelmChart,
  only: boolean,
): boolean {
  const n = container.name;
  if ('literal' in n) return n.literal === wanted;
  if ('chartName' in n) return chart.name === wanted;
  return only;
}

/** The `resources` key of the values (the part the field paths share), for the location. */
function commonPrefix(paths: string[][]): string[] {
  const [first, ...rest] = paths;
  if (!first) return [];
  let length = first.length;
  for (const path of rest) {
    let i = 0;
    while (i < length && i < path.length && path[i] === first[i]) i++;
    length = i;
  }
  return first.slice(0, length);
}

function buildCandidate(
  workspace: Workspace,
  chart: HelmChart,
  template: HelmTemplate,
  identity: { kind: WorkloadKind; namespace?: string; name: string; container: string },
  found: { workload: TemplateWorkload; container?: TemplateContainer },
  options: ManifestOptions,
): ContainerCandidate {
  const { container, workload } = found;
  const where = `${template.path}`;
  const fallbackLocation = {
    location: { path: template.path, line: container?.line ?? 1, column: 1 },
    label: `template ${template.path}`,
  };
  const base = {
    ...identity,
    source: 'helm' as const,
    origin: `chart ${chart.name} (${template.path})`,
    layers: [],
    fallbackLocation,
  };
  if (!container)
    return { ...base, problem: `${where}: ${workload.problem ?? 'the container is not in the template'}` };
  const resources = container.resources;
  if (resources.type === 'unsupported')
    return { ...base, problem: `${where}:${container.line}: ${resources.reason}` };
  const files = chartValues(workspace, chart, options);
  if (typeof files === 'string') return { ...base, problem: files };
  const fieldProblems: Partial<Record<FieldKey, { change?: string; remove?: string }>> = {};
  for (const field of ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'] as const) {
    const entry = resources.fields[field];
    if (resources.literal.includes(field))
      fieldProblems[field] = {
        change: `${where}:${container.line} writes ${field} literally; edit the template`,
      };
    else if (!entry)
      fieldProblems[field] = { change: `${where}:${container.line} takes no ${field} from the values` };
    else if (!entry.removable)
      fieldProblems[field] = {
        remove: `${where}:${container.line} always writes ${field} (.Values.${entry.path.join('.')}); removing it needs a template change`,
      };
  }
  const prefix = commonPrefix(Object.values(resources.fields).map((f) => f.path.slice(0, -1)));
  const releaseFile = files.find((f) => f.release);
  let problem: string | undefined;
  const layers = files.map((file) => {
    const sharedBy =
      !file.release && releaseFile
        ? `every release of chart ${chart.name} (the values file ${releaseFile.source.path} is written instead)`
        : undefined;
    const made = valuesLayer(file, resources.fields, prefix, sharedBy);
    problem ??= made.problem;
    return made.layer;
  });
  return { ...base, layers, ...(problem ? { problem } : {}), fieldProblems };
}

function templateWorkloads(chart: HelmChart): Array<{ template: HelmTemplate; workload: TemplateWorkload }> {
  return chart.templates.flatMap((template) =>
    scanTemplate(template.text).map((workload) => ({ template, workload })),
  );
}

/** Every container the charts render, named as `helm install <release>` would (release: option, else the chart name). */
export function helmIndexCandidates(
  workspace: Workspace,
  charts: readonly HelmChart[],
  options: ManifestOptions,
): ContainerCandidate[] {
  return charts.flatMap((chart) => {
    const files = chartValues(workspace, chart, options);
    const values = typeof files === 'string' ? {} : mergedValues(files);
    const release = options.helm?.release ?? chart.name;
    return templateWorkloads(chart).flatMap(({ template, workload }) => {
      const name =
        renderedName(workload, chart, values, release) ?? fullname(release, nameOf(chart, values), values);
      return workload.containers.flatMap((container) => {
        const n = container.name;
        const containerName = 'literal' in n ? n.literal : 'chartName' in n ? chart.name : undefined;
        if (containerName === undefined) return [];
        const identity = { kind: workload.kind, name, container: containerName };
        return [buildCandidate(workspace, chart, template, identity, { workload, container }, options)];
      });
    });
  });
}

/** The chart containers that can be the requested one. */
export function helmCandidatesFor(
  workspace: Workspace,
  charts: readonly HelmChart[],
  target: { kind: WorkloadKind; namespace: string; name: string; container: string },
  metadata: ClusterWorkloadMetadata | undefined,
  options: ManifestOptions,
): ContainerCandidate[] {
  const labels = metadata?.labels ?? {};
  const annotations = metadata?.annotations ?? {};
  const release =
    annotations['meta.helm.sh/release-name'] ?? labels['app.kubernetes.io/instance'] ?? options.helm?.release;
  const chartLabel = labels['helm.sh/chart'];
  const appName = labels['app.kubernetes.io/name'];
  let pool = [...charts];
  if (chartLabel !== undefined) {
    const exact = pool.filter((c) => `${c.name}-${c.version}` === chartLabel);
    pool =
      exact.length > 0
        ? exact
        : pool.filter(
            (c) => chartLabel.startsWith(`${c.name}-`) && /^v?\d/.test(chartLabel.slice(c.name.length + 1)),
          );
  } else if (appName !== undefined) pool = pool.filter((c) => c.name === appName);

  const out: ContainerCandidate[] = [];
  for (const chart of pool) {
    const files = chartValues(workspace, chart, options);
    const values = typeof files === 'string' ? {} : mergedValues(files);
    for (const { template, workload } of templateWorkloads(chart)) {
      if (workload.kind !== target.kind) continue;
      if (!couldRender(workload, chart, values, target.name, release)) continue;
      const identity = { ...target };
      if (workload.problem) {
        out.push(buildCandidate(workspace, chart, template, identity, { workload }, options));
        continue;
      }
      const only = workload.containers.length === 1;
      for (const container of workload.containers.filter((c) =>
        containerMatches(c, target.container, chart, only),
      ))
        out.push(buildCandidate(workspace, chart, template, identity, { workload, container }, options));
    }
  }
  return out;
}
