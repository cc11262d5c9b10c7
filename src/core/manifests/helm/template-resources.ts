// Reading a Helm template as text to find which values feed each container's resources. Only the common
// shapes are understood (`toYaml .Values.x | nindent n`, `with .Values.x`, `cpu: {{ .Values.x }}`);
// anything else is reported with the line that is too dynamic, never guessed.

import { KINDS, type WorkloadKind } from '../../recommend/model.js';
import { FIELD_KEYS, type FieldKey } from '../resource-fields.js';

export type ValuesPath = string[];

export type TemplateResources =
  | {
      type: 'values';
      /** removable: false when the template always writes the field (`cpu: {{ .Values.x }}`). */
      fields: Partial<Record<FieldKey, { path: ValuesPath; removable: boolean }>>;
      /** Fields the template writes literally. */
      literal: FieldKey[];
    }
  | { type: 'unsupported'; reason: string };

export type TemplateContainerName = { literal: string } | { chartName: true } | { dynamic: string };

export interface TemplateContainer {
  name: TemplateContainerName;
  /** 1-based line of `resources:` (else of the item). */
  line: number;
  resources: TemplateResources;
}

export interface TemplateWorkload {
  kind: WorkloadKind;
  /** The text after `name:` in metadata, e.g. `{{ include "shop.fullname" . }}-worker`. */
  nameText?: string;
  containers: TemplateContainer[];
  problem?: string;
}

const VALUES = String.raw`\.Values((?:\.[A-Za-z_]\w*)+)`;
const TO_YAML = new RegExp(
  String.raw`^\{\{-?\s*(?:toYaml\s+(?:${VALUES}|(\.))|(?:${VALUES}|(\.))\s*\|\s*toYaml)\s*\|\s*n?indent\s+\d+\s*-?\}\}$`,
);
const FIELD_VALUE = new RegExp(
  String.raw`^(?:"\{\{-?\s*${VALUES}\s*-?\}\}"|'\{\{-?\s*${VALUES}\s*-?\}\}'|\{\{-?\s*${VALUES}\s*(?:\|\s*quote\s*)?-?\}\})$`,
);
const WITH = new RegExp(String.raw`^\{\{-?\s*with\s+${VALUES}\s*-?\}\}$`);
const IF = new RegExp(String.raw`^\{\{-?\s*if\s+${VALUES}\s*-?\}\}$`);
const END = /^\{\{-?\s*end\s*-?\}\}$/;

const indentOf = (line: string) => /^ */.exec(line)![0].length;
const isTemplateOnly = (trimmed: string) => trimmed.startsWith('{{') && trimmed.endsWith('}}');
const pathOf = (dotted: string | undefined): ValuesPath => (dotted ?? '').split('.').filter((p) => p !== '');

function withoutComment(text: string): string {
  return text.includes('{{') ? text.trim() : text.replace(/\s+#.*$/, '').trim();
}

function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}

/** The values path of a `toYaml` line; '.' is the context of an enclosing `with`. */
function toYamlPath(text: string, withPath: ValuesPath | undefined): ValuesPath | undefined {
  const m = TO_YAML.exec(text);
  if (!m) return undefined;
  const dotted = m[1] ?? m[3];
  if (dotted !== undefined) return pathOf(dotted);
  return withPath;
}

/**
 * Classifies `resources:` and the lines under it. `before` are the template lines just above it
 * (`{{- with .Values.x }}`, `{{- if .Values.x }}`).
 */
function readResources(rest: string, before: string[], block: string[]): TemplateResources {
  const tooDynamic = (line: string): TemplateResources => ({
    type: 'unsupported',
    reason: `the template is too dynamic: ${line.trim()}`,
  });
  // Wrappers still open at `resources:` (a closed `with … end` above belongs to a sibling key).
  const open: Array<{ with?: ValuesPath; if?: ValuesPath }> = [];
  for (const line of before) {
    const trimmed = line.trim();
    const w = WITH.exec(trimmed);
    const i = IF.exec(trimmed);
    if (w) open.push({ with: pathOf(w[1]) });
    else if (i) open.push({ if: pathOf(i[1]) });
    else if (END.test(trimmed)) open.pop();
  }
  for (const line of block.filter((l) => isTemplateOnly(l.trim()))) {
    const trimmed = line.trim();
    const w = WITH.exec(trimmed);
    if (w) open.push({ with: pathOf(w[1]) });
    else if (!END.test(trimmed) && !TO_YAML.test(trimmed)) return tooDynamic(line);
  }
  const withPath = open.findLast((o) => o.with)?.with;
  const ifPaths = open.flatMap((o) => (o.if ? [o.if] : []));
  const whole = (path: ValuesPath | undefined, line: string): TemplateResources => {
    if (!path || path.length === 0) return tooDynamic(line);
    // An `if` around the block must test the same values (else it may drop what we write).
    const unrelated = ifPaths.find((p) => p.join('.') !== path.slice(0, p.length).join('.'));
    if (unrelated) return tooDynamic(`{{- if .Values.${unrelated.join('.')} }}`);
    const fields: Partial<Record<FieldKey, { path: ValuesPath; removable: boolean }>> = {};
    for (const field of FIELD_KEYS) fields[field] = { path: [...path, ...field.split('.')], removable: true };
    return { type: 'values', fields, literal: [] };
  };
  if (rest !== '')
    return TO_YAML.test(rest) ? whole(toYamlPath(rest, withPath), rest) : tooDynamic(`resources: ${rest}`);
  const content = block.filter((l) => l.trim() !== '' && !END.test(l.trim()));
  const templated = content.filter((l) => TO_YAML.test(l.trim()));
  if (content.every((l) => isTemplateOnly(l.trim())))
    return templated.length === 1
      ? whole(toYamlPath(templated[0]!.trim(), withPath), templated[0]!)
      : tooDynamic(content[0] ?? 'resources:');
  if (open.length > 0)
    return tooDynamic(before.find((l) => WITH.test(l.trim()) || IF.test(l.trim())) ?? 'resources:');
  return readFieldLines(content, tooDynamic);
}

/** `requests:` / `limits:` lines, each with `cpu:` / `memory:` values or a `toYaml` of their own. */
function readFieldLines(
  content: string[],
  tooDynamic: (line: string) => TemplateResources,
): TemplateResources {
  const fields: Partial<Record<FieldKey, { path: ValuesPath; removable: boolean }>> = {};
  const literal: FieldKey[] = [];
  const kindIndent = indentOf(content[0]!);
  let which: string | undefined;
  for (const line of content) {
    const trimmed = withoutComment(line);
    if (isTemplateOnly(trimmed)) return tooDynamic(line);
    const m = /^([A-Za-z0-9._/-]+):\s*(.*)$/.exec(trimmed);
    if (!m) return tooDynamic(line);
    const [, key, value] = m as unknown as [string, string, string];
    if (indentOf(line) === kindIndent) {
      which = key === 'requests' || key === 'limits' ? key : undefined;
      if (which && value !== '') {
        const path = toYamlPath(value, undefined);
        if (!path || path.length === 0) return tooDynamic(line);
        for (const resource of ['cpu', 'memory'])
          fields[`${which}.${resource}` as FieldKey] = { path: [...path, resource], removable: true };
      }
    } else if (which && (key === 'cpu' || key === 'memory')) {
      const field = `${which}.${key}` as FieldKey;
      const v = FIELD_VALUE.exec(value);
      if (v) fields[field] = { path: pathOf(v[1] ?? v[2] ?? v[3]), removable: false };
      else if (value.includes('{{')) return tooDynamic(line);
      else literal.push(field);
    }
  }
  return { type: 'values', fields, literal };
}

function containerName(text: string): TemplateContainerName {
  const value = unquote(withoutComment(text));
  if (/^\{\{-?\s*\.Chart\.Name\s*-?\}\}$/.test(value)) return { chartName: true };
  return value.includes('{{') ? { dynamic: value } : { literal: value };
}

/** The items of a `containers:` list and the template lines of each. */
function readContainers(
  lines: string[],
  from: number,
  to: number,
  containersIndent: number,
): TemplateContainer[] {
  const items: Array<[number, number]> = [];
  let dashIndent: number | undefined;
  let end = to;
  for (let j = from; j < to; j++) {
    const trimmed = lines[j]!.trim();
    if (trimmed === '' || isTemplateOnly(trimmed)) continue;
    const indent = indentOf(lines[j]!);
    const dash = trimmed === '-' || trimmed.startsWith('- ');
    if (indent < containersIndent || (indent === containersIndent && !dash)) {
      end = j;
      break;
    }
    dashIndent ??= dash ? indent : undefined;
    if (dash && indent === dashIndent) {
      if (items.length > 0) items[items.length - 1]![1] = j;
      items.push([j, to]);
    }
  }
  if (items.length > 0) items[items.length - 1]![1] = Math.min(items[items.length - 1]![1], end);
  return items.map(([start, stop]) => readContainer(lines, start, stop, dashIndent ?? 0));
}

function readContainer(lines: string[], start: number, stop: number, dashIndent: number): TemplateContainer {
  const first = lines[start]!;
  const contentIndent = dashIndent + (/^ *- */.exec(first)![0].length - dashIndent);
  let name: TemplateContainerName = { dynamic: first.trim() };
  let resourcesLine = -1;
  for (let j = start; j < stop; j++) {
    const line = j === start ? ' '.repeat(contentIndent) + first.slice(contentIndent) : lines[j]!;
    if (indentOf(line) !== contentIndent) continue;
    const m = /^\s*(name|resources):\s*(.*)$/.exec(line);
    if (m?.[1] === 'name') name = containerName(m[2]!);
    else if (m?.[1] === 'resources' && resourcesLine < 0) resourcesLine = j;
  }
  if (resourcesLine < 0)
    return {
      name,
      line: start + 1,
      resources: { type: 'unsupported', reason: 'the template writes no resources for this container' },
    };
  const before: string[] = [];
  for (let j = resourcesLine - 1; j > start && isTemplateOnly(lines[j]!.trim()); j--)
    before.unshift(lines[j]!);
  const block: string[] = [];
  for (let j = resourcesLine + 1; j < stop; j++) {
    const trimmed = lines[j]!.trim();
    if (trimmed !== '' && !isTemplateOnly(trimmed) && indentOf(lines[j]!) <= contentIndent) break;
    block.push(lines[j]!);
  }
  // Template lines after the block, less indented than its key, wrap what follows (`{{- if … }}` before
  // the next container), not these resources.
  while (block.length > 0 && (block.at(-1)!.trim() === '' || indentOf(block.at(-1)!) < contentIndent))
    block.pop();
  const rest = withoutComment(
    lines[resourcesLine]!.slice(lines[resourcesLine]!.indexOf('resources:') + 'resources:'.length),
  );
  return { name, line: resourcesLine + 1, resources: readResources(rest, before, block) };
}

/** The workloads (of the kinds krr scans) in a template, one per `---` document. */
export function scanTemplate(text: string): TemplateWorkload[] {
  const lines = text.split(/\r?\n/);
  const workloads: TemplateWorkload[] = [];
  let start = 0;
  for (let end = 0; end <= lines.length; end++) {
    if (end < lines.length && !/^---(\s|$)/.test(lines[end]!)) continue;
    const chunk = lines.slice(start, end);
    const kind = chunk
      .map((l) => /^kind:\s*["']?([A-Za-z]+)["']?\s*$/.exec(withoutComment(l))?.[1])
      .find(Boolean);
    const apiVersion = chunk.map((l) => /^apiVersion:\s*(\S+)/.exec(l)?.[1]).find(Boolean) ?? '';
    const ours =
      (KINDS as readonly string[]).includes(kind ?? '') &&
      (kind !== 'Rollout' || apiVersion.startsWith('argoproj.io/'));
    if (ours) workloads.push(readWorkload(lines, start, end, kind as WorkloadKind));
    start = end + 1;
  }
  return workloads;
}

function readWorkload(lines: string[], start: number, end: number, kind: WorkloadKind): TemplateWorkload {
  const metadata = lines.findIndex((l, j) => j >= start && j < end && /^metadata:\s*$/.test(l));
  let nameText: string | undefined;
  const keyIndent = metadata >= 0 ? indentOf(lines[metadata + 1] ?? '') : 0;
  for (
    let j = metadata + 1;
    metadata >= 0 && keyIndent > 0 && j < end && /^\s+\S|^\s*$/.test(lines[j]!);
    j++
  ) {
    const m = /^ *name:\s*(.+?)\s*$/.exec(lines[j]!);
    if (m && indentOf(lines[j]!) === keyIndent) {
      nameText = unquote(withoutComment(m[1]!));
      break;
    }
  }
  const at = lines.findIndex((l, j) => j >= start && j < end && /^\s*containers:/.test(l));
  const base = { kind, ...(nameText !== undefined ? { nameText } : {}) };
  if (at < 0) return { ...base, containers: [], problem: 'the template has no containers: list' };
  const rest = withoutComment(lines[at]!.slice(lines[at]!.indexOf('containers:') + 'containers:'.length));
  if (rest !== '')
    return { ...base, containers: [], problem: `the template is too dynamic: ${lines[at]!.trim()}` };
  return { ...base, containers: readContainers(lines, at + 1, end, indentOf(lines[at]!)) };
}
