import { helpText, parseFlags, stringFlag } from '../flags.js';
import { FORMATS, formatResult, type OutputFormat } from '../formatters/formatters.js';
import type { CliIo } from '../io.js';
import { checkOutputFile, writeOutputFile } from '../output-file.js';
import { UsageError } from '../usage-error.js';
import { SCAN_FLAGS } from './scan-flags.js';
import { runScanWithFlags } from './scan-run.js';
import { scanHistories, scanSignals } from './scan-signals.js';

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
  // krr's JSON, YAML and CSV stay krr's unless asked; the table is for people, who want to see trouble.
  const withSignals = format === 'table' || flags['with-signals'] === true;
  if (flags['with-signals'] && format === 'csv')
    throw new UsageError(
      '--with-signals applies to json, yaml and table (the table always marks them), not csv.',
    );
  if (flags['with-signals'] && stringFlag(flags, 'krr-binary'))
    throw new UsageError('--with-signals needs the built-in engine: krr (--krr-binary) does not read them.');
  // The table is for people: they see what a long scan is doing. Machine formats stay quiet.
  const { result, sources } = await runScanWithFlags(flags, positionals, io, {
    format,
    showProgress: format === 'table',
  });
  // The HTML report charts every container; the histories carry the signals too.
  const histories = format === 'html' ? await scanHistories(result, sources, flags, io) : [];
  const signals =
    format === 'html'
      ? new Map(histories.map((h) => [h.key, h.signals]))
      : withSignals
        ? await scanSignals(result, sources, flags, io)
        : undefined;
  const output = formatResult(result, format, file ? undefined : io.stdoutColumns, signals, histories);
  if (file) writeOutputFile(file, output);
  else io.stdout.write(output);
  return 0;
}
