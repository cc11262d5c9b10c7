import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

/** One command-line flag: its parseArgs shape and its --help line, kept side by side. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder in --help, e.g. NAME. */
  value?: string;
  help: string;
  /** Other long names accepted (krr's spellings). */
  aliases?: string[];
  group: string;
}

export type FlagTable = Record<string, FlagSpec>;

export type ParsedFlags = Record<string, string | boolean | string[] | boolean[] | undefined>;

/**
 * Parses argv against a flag table. krr accepts both `--history_duration` and `--history-duration`,
 * so underscores in long flag names are read as dashes; aliases map to their canonical name.
 */
export function parseFlags(argv: string[], table: FlagTable): { flags: ParsedFlags; positionals: string[] } {
  const aliasOf = new Map<string, string>();
  for (const [name, spec] of Object.entries(table))
    for (const alias of spec.aliases ?? []) aliasOf.set(alias, name);
  const shortOf = new Map(
    Object.entries(table).flatMap(([name, spec]) => (spec.short ? [[spec.short, name]] : [])),
  );
  const normalized: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let name: string | undefined;
    if (arg.startsWith('--') && arg !== '--') {
      const [rawName, ...rest] = arg.slice(2).split('=');
      const dashed = rawName!.replace(/_/g, '-');
      name = aliasOf.get(dashed) ?? dashed;
      if (rest.length > 0) {
        normalized.push(`--${[name, ...rest].join('=')}`);
        continue;
      }
    } else if (/^-[a-zA-Z]$/.test(arg)) name = shortOf.get(arg.slice(1));
    // `--history-duration -5` is a negative number, not a flag: joined, so that the value is checked
    // (and reported as out of range) rather than refused as a missing argument.
    const next = argv[i + 1];
    if (
      name !== undefined &&
      table[name]?.type === 'string' &&
      next !== undefined &&
      /^-\d|^-\.\d/.test(next)
    ) {
      normalized.push(`--${name}=${next}`);
      i++;
      continue;
    }
    normalized.push(name !== undefined && arg.startsWith('--') ? `--${name}` : arg);
  }
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(table)) {
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    };
  }
  try {
    const { values, positionals } = parseArgs({
      args: normalized,
      options,
      allowPositionals: true,
      strict: true,
    });
    return { flags: values as ParsedFlags, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
}

export function helpText(usage: string, description: string, table: FlagTable): string {
  const groups = new Map<string, string[]>();
  const label = (name: string, spec: FlagSpec) =>
    `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`;
  const width = Math.max(...Object.entries(table).map(([n, s]) => label(n, s).length)) + 2;
  for (const [name, spec] of Object.entries(table)) {
    const lines = groups.get(spec.group) ?? [];
    lines.push(`  ${label(name, spec).padEnd(width)}${spec.help}${spec.multiple ? ' (repeatable)' : ''}`);
    groups.set(spec.group, lines);
  }
  const sections = [...groups].map(([group, lines]) => `${group}:\n${lines.join('\n')}`);
  return `Usage: ${usage}\n\n${description}\n\n${sections.join('\n\n')}\n`;
}

/** Reads a numeric flag; undefined when absent. */
export function numberFlag(flags: ParsedFlags, name: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value))
    throw new UsageError(`Invalid value for --${name}: "${String(raw)}" is not a number.`);
  return value;
}

export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const raw = flags[name];
  return typeof raw === 'string' ? raw : undefined;
}

export function listFlag(flags: ParsedFlags, name: string): string[] {
  const raw = flags[name];
  return Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
}
