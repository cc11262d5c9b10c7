import { loadScanHistory } from '../../core/evidence/scan-history.js';
import { historyHoursOf, loadScanSignals } from '../../core/evidence/scan-signals.js';
import { historyKey } from '../../core/evidence/usage-history.js';
import type { ContainerUsageHistory, RiskSignals } from '../../core/evidence/usage-history-model.js';
import { explainError } from '../../core/input/parameters.js';
import type { ScanResult } from '../../core/recommend/model.js';
import type { ParsedFlags } from '../flags.js';
import type { CliIo } from '../io.js';
import { CLI_PARAMETER_NAMES } from '../parameter-names.js';
import type { ScanSource } from './scan-run.js';

// The risk signals of a finished scan, for the table's "!" column and --with-signals. They cost a few more
// queries (three per batch of containers, one for HPAs), which is why machine formats skip them unless asked.

/**
 * The signals (null: they could not be read, said on stderr; the scan itself stands). Undefined when the
 * scan came from --krr-binary: krr read Prometheus, not us.
 */
export async function scanSignals(
  result: ScanResult,
  source: ScanSource | undefined,
  flags: ParsedFlags,
  io: CliIo,
): Promise<ReadonlyMap<string, RiskSignals> | null | undefined> {
  if (!source) return undefined;
  const warn = (text: string) => {
    if (!flags.quiet) io.stderr.write(`Warning: ${text}\n`);
  };
  const started = performance.now();
  const before = source.prometheus.queryCount;
  try {
    const { signals, problems } = await loadScanSignals(source.kube, source.prometheus, result.scans, {
      time: source.time,
      historyHours: historyHoursOf(result),
      concurrency: source.concurrency,
      ...(source.clusterLabel ? { clusterLabel: source.clusterLabel } : {}),
      ...(source.relatedPodLabel ? { relatedPodLabel: source.relatedPodLabel } : {}),
    });
    for (const problem of problems) warn(`risk signals: ${problem}`);
    if (flags.verbose)
      io.stderr.write(
        `Read the risk signals with ${source.prometheus.queryCount - before} Prometheus queries in ${Math.round(performance.now() - started)} ms.\n`,
      );
    return signals;
  } catch (error) {
    warn(`risk signals could not be read: ${explainError(error, CLI_PARAMETER_NAMES)}`);
    return null;
  }
}

/**
 * Every container's usage history, for the HTML report's charts (their signals come with them); empty when
 * they could not be read (said on stderr) or the scan came from --krr-binary.
 */
export async function scanHistories(
  result: ScanResult,
  source: ScanSource | undefined,
  flags: ParsedFlags,
  io: CliIo,
): Promise<ContainerUsageHistory[]> {
  if (!source) return [];
  try {
    return await loadScanHistory(
      source.kube,
      source.prometheus,
      result,
      result.scans.map((scan) => historyKey(scan.object)),
      {
        time: source.time,
        ...(source.observed ? { observed: source.observed } : {}),
        ...(source.clusterLabel ? { clusterLabel: source.clusterLabel } : {}),
        ...(source.relatedPodLabel ? { relatedPodLabel: source.relatedPodLabel } : {}),
      },
    );
  } catch (error) {
    if (!flags.quiet)
      io.stderr.write(
        `Warning: the usage charts could not be read: ${explainError(error, CLI_PARAMETER_NAMES)}\n`,
      );
    return [];
  }
}
