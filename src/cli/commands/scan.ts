import { helpText, parseFlags, stringFlag } from '../flags.js';
import { FORMATS, formatResult, type OutputFormat } from '../formatters/formatters.js';
import type { CliIo } from '../io.js';
import { checkOutputFile, writeOutputFile } from '../output-file.js';
import { UsageError } from '../usage-error.js';
import { SCAN_FLAGS } from './scan-flags.js';
import { scanWithFlags } from './scan-run.js';

export const SCAN_USAGE = 'krr-mcp scan [simple|simple_limit] [flags]';
const DESCRIPTION =
  'Computes krr-compatible CPU and memory recommendations from Prometheus for the workloads of a cluster.\n' +
  '`krr-mcp scan simple -f json` prints the same JSON as `krr simple -f json`.';

export function scanHelp(): string {
  return helpText(SCAN_USAGE, DESCRIPTION, SCAN_FLAGS);
}

/** `krr-mcp scan`: returns the exit code. */
export async function runScan(argv: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseFlags(argv, SCAN_FLAGS);
  if (flags.help) {
    io.stdout.write(scanHelp());
    return 0;
  }
  const format = (stringFlag(flags, 'formatter') ?? 'table') as OutputFormat;
  if (!FORMATS.includes(format))
    throw new UsageError(`Unknown format "${format}". Use one of: ${FORMATS.join(', ')}.`);
  // Checked before the scan, so that a long scan never ends in "cannot write".
  const file = stringFlag(flags, 'fileoutput');
  if (file) checkOutputFile(file, '--fileoutput');
  // The table is for people: they see what a long scan is doing. Machine formats stay quiet.
  const result = await scanWithFlags(flags, positionals, io, { format, showProgress: format === 'table' });
  const output = formatResult(result, format, file ? undefined : io.stdoutColumns);
  if (file) writeOutputFile(file, output);
  else io.stdout.write(output);
  return 0;
}
