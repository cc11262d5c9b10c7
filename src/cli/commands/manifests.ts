import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import {
  collectManifestFiles,
  planRecommendationEdits,
  unifiedDiff,
  type ManifestPlan,
} from '../../core/manifests/index.js';
import { KrrResultSchema } from '../../core/recommend/krr-result-schema.js';
import type { ResourceScan } from '../../core/recommend/model.js';
import { recommendationId } from '../../core/recommend/recommendation-items.js';
import { helpText, parseFlags, stringFlag, type FlagTable } from '../flags.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';
import { writeManifestEdits } from './manifest-writes.js';
import { SCAN_FLAGS } from './scan-flags.js';
import { scanWithFlags } from './scan-run.js';

export const MANIFESTS_USAGE = 'krr-mcp manifests [PATH...] [--recommendations FILE] [--write] [scan flags]';

const DESCRIPTION = `Writes recommendations into the manifests that define the workloads: plain YAML, Kustomize overlays
(the layer that sets the value; a shared base is never changed for one overlay) and Helm charts' values.
PATH: files or folders searched for *.yaml/*.yml (default: the current folder).
Without --write: prints a unified diff (paths relative to the current folder) and changes nothing.
With --write: writes the same edits in place and prints a summary on stderr. Comments, key order, quoting
and line ends are kept. Ambiguous, unsupported or unreadable definitions are reported and left alone.
Without --recommendations, it scans first, with scan's flags.`;

const MANIFESTS_ONLY: FlagTable = {
  recommendations: {
    type: 'string',
    value: 'FILE',
    help: 'krr JSON (`krr simple -f json` or `krr-mcp scan -f json`); - reads stdin',
    group: 'Manifests',
  },
  write: { type: 'boolean', help: 'write the edits in place (default: print the diff)', group: 'Manifests' },
  'helm-release': {
    type: 'string',
    value: 'NAME',
    help: 'the Helm release of the workloads (default: read from their helm labels)',
    group: 'Manifests',
  },
  values: {
    type: 'string',
    value: 'FILE',
    help: 'a Helm values file (helm -f) to read over values.yaml and write to',
    group: 'Manifests',
  },
};

/** scan's flags (for a scan without --recommendations) minus its output flags. */
const MANIFESTS_FLAGS: FlagTable = {
  ...MANIFESTS_ONLY,
  ...Object.fromEntries(
    Object.entries(SCAN_FLAGS).filter(([name]) => name !== 'formatter' && name !== 'fileoutput'),
  ),
};

/** Larger than any scan's JSON; a bigger input is a mistake, not recommendations. */
const MAX_RECOMMENDATIONS_BYTES = 256 * 1024 * 1024;

export function manifestsHelp(): string {
  return helpText(MANIFESTS_USAGE, DESCRIPTION, MANIFESTS_FLAGS);
}

async function readRecommendations(source: string, io: CliIo): Promise<ResourceScan[]> {
  let text: string;
  try {
    text = source === '-' ? await io.readStdin(MAX_RECOMMENDATIONS_BYTES) : await readFile(source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `Invalid value for --recommendations: cannot read ${source} (${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(
      `Invalid value for --recommendations: ${source} is not JSON. Give the output of \`krr simple -f json\` or \`krr-mcp scan -f json\`.`,
    );
  }
  const parsed = KrrResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `Invalid value for --recommendations: ${source} is JSON but not krr's result (${issue?.path.join('.') || 'top level'}: ${issue?.message}).`,
    );
  }
  // The schema keeps krr's fields (and any newer ones); the engine reads the ones it checks.
  return parsed.data.scans as unknown as ResourceScan[];
}

const label = (c: { kind: string; namespace: string; name: string; container: string }) =>
  `${c.kind} ${c.namespace}/${c.name} container ${c.container}`;

/** How many not-found containers are named one by one before the rest are counted. */
const NOT_FOUND_NAMED = 10;

/**
 * One line per container written or left alone for a reason, the engine's notes and the file errors.
 * Containers no file defines are the common case when PATH holds part of a cluster: one summary line.
 */
function report(plan: ManifestPlan, display: (path: string) => string): string[] {
  const lines: string[] = [];
  for (const e of plan.fileErrors) lines.push(`${display(e.path)}: ${e.message}`);
  const notFound: string[] = [];
  for (const c of plan.containers) {
    if (c.status === 'edited') {
      const where = [...new Set(c.placements.map((p) => `${display(p.path)}:${p.line}`))].join(', ');
      lines.push(
        `edited: ${label(c)} (${c.changes.length} field${c.changes.length === 1 ? '' : 's'}) in ${where}`,
      );
    } else if (c.status === 'unchanged')
      lines.push(`unchanged: ${label(c)}: the files already hold these values`);
    else if (c.status === 'not-found') notFound.push(`${c.kind} ${c.namespace}/${c.name} ${c.container}`);
    else {
      lines.push(`${c.status}: ${label(c)}: ${c.reason ?? ''}`);
      for (const candidate of c.candidates)
        lines.push(`  candidate: ${display(candidate.path)}:${candidate.line} (${candidate.description})`);
    }
  }
  if (notFound.length > 0) {
    const named = notFound.slice(0, NOT_FOUND_NAMED).join(', ');
    const rest = notFound.length - NOT_FOUND_NAMED;
    lines.push(
      `not found in these files: ${notFound.length} container(s): ${named}${rest > 0 ? ` and ${rest} more` : ''}`,
    );
  }
  for (const note of plan.notes) lines.push(`note: ${note}`);
  return lines;
}

/** `krr-mcp manifests`: returns the exit code. */
export async function runManifests(argv: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseFlags(argv, MANIFESTS_FLAGS);
  if (flags.help) {
    io.stdout.write(manifestsHelp());
    return 0;
  }
  const source = stringFlag(flags, 'recommendations');
  // Without --recommendations the positionals are the strategy (like scan's) and the paths.
  const strategy = source === undefined && ['simple', 'simple_limit'].includes(positionals[0] ?? '');
  const paths = strategy ? positionals.slice(1) : positionals;
  const release = stringFlag(flags, 'helm-release');
  const valuesFile = stringFlag(flags, 'values');

  const cwd = process.cwd();
  const display = (path: string) => relative(cwd, resolve(path)) || '.';
  const collected = await collectManifestFiles(paths.length > 0 ? paths : ['.']);
  if (collected.files.length === 0) {
    const where = (paths.length > 0 ? paths : ['.']).map(display).join(', ');
    const why = collected.errors.map((e) => `${display(e.path)}: ${e.message}`).join('; ');
    throw new UsageError(
      `Invalid value for PATH: no *.yaml or *.yml files under ${where}${why ? ` (${why})` : ''}.`,
    );
  }

  const scans =
    source !== undefined
      ? await readRecommendations(source, io)
      : (
          await scanWithFlags(flags, strategy ? positionals.slice(0, 1) : [], io, {
            format: 'json',
            showProgress: true,
          })
        ).scans;
  const { plan, skipped } = planRecommendationEdits(collected.files, scans, {
    idOf: (scan) => recommendationId(scan.object.cluster ?? 'cluster', scan),
    ...(release || valuesFile
      ? { helm: { ...(release ? { release } : {}), ...(valuesFile ? { valuesFile } : {}) } }
      : {}),
  });

  const lines = [
    ...collected.errors.map((e) => `${display(e.path)}: ${e.message}`),
    ...(plan ? report(plan, display) : []),
  ];
  const unknown = skipped.filter((s) => s.field === undefined).length;
  if (unknown > 0)
    lines.push(`${unknown} recommendation(s) without a value to write ("?": not enough data, HPA…)`);
  const edits = plan?.edits ?? [];
  if (flags.write) {
    await writeManifestEdits(edits);
    lines.push(
      edits.length === 0
        ? 'Nothing to write.'
        : `Wrote ${edits.length} file${edits.length === 1 ? '' : 's'}: ${edits.map((e) => display(e.path)).join(', ')}`,
    );
  } else {
    for (const edit of edits) io.stdout.write(unifiedDiff(edit, display(edit.path)));
    if (edits.length === 0) lines.push('Nothing to change.');
  }
  if (!flags.quiet || flags.write) io.stderr.write(lines.map((l) => `${l}\n`).join(''));
  return 0;
}
