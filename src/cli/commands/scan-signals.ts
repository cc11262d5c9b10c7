import { loadScanHistory } from '../../core/evidence/scan-history.js';
import { historyHoursOf, loadScanSignals } from '../../core/evidence/scan-signals.js';
import { historyKey } from '../../core/evidence/usage-history.js';
import type { ContainerUsageHistory, RiskSignals } from '../../core/evidence/usage-history-model.js';
import { explainError } from '../../core/input/parameters.js';
import type { ScanResult } from '../../core/recommend/model.js';
import { scanRowKey } from '../formatters/scan-row-key.js';
import type { ParsedFlags } from '../flags.js';
import type { CliIo } from '../io.js';
import { CLI_PARAMETER_NAMES } from '../parameter-names.js';
import type { ScanSource } from './scan-run.js';

// The risk signals and usage histories of a finished scan, for the table's "!" column, --with-signals and the
// HTML report. They cost a few more queries (three per batch of containers, one for HPAs), which is why
// machine formats skip them unless asked. Each cluster's are read from that cluster's Prometheus, and keyed by
// cluster too (scanRowKey): two clusters often run the same workload under the same name.

/** The rows of one cluster's scan, as a result of their own (what the evidence loaders take). */
function clusterPart(result: ScanResult, source: ScanSource): ScanResult {
  const context = source.kube.identity.context;
  return { ...result, scans: result.scans.filter((s) => (s.object.cluster ?? context) === context) };
}

/**
 * The signals (null: they could not be read, said on stderr; the scan itself stands). Undefined when the
 * scan came from --krr-binary: krr read Prometheus, not us.
 */
export async function scanSignals(
  result: ScanResult,
  sources: readonly ScanSource[],
  flags: ParsedFlags,
  io: CliIo,
): Promise<ReadonlyMap<string, RiskSignals> | null | undefined> {
  if (sources.length === 0) return undefined;
  const warn = (text: string) => {
    if (!flags.quiet) io.stderr.write(`Warning: ${text}\n`);
  };
  const all = new Map<string, RiskSignals>();
  for (const source of sources) {
    const started = performance.now();
    const before = source.prometheus.queryCount;
    const context = source.kube.identity.context;
    const part = clusterPart(result, source);
    try {
      const { signals, problems } = await loadScanSignals(source.kube, source.prometheus, part.scans, {
        time: source.time,
        historyHours: historyHoursOf(result),
        concurrency: source.concurrency,
        ...(source.relatedPodLabel ? { relatedPodLabel: source.relatedPodLabel } : {}),
      });
      for (const problem of problems) warn(`risk signals: ${problem}`);
      for (const scan of part.scans) {
        const found = signals.get(historyKey(scan.object));
        if (found) all.set(scanRowKey(scan.object), found);
      }
      if (flags.verbose)
        io.stderr.write(
          `Read the risk signals${sources.length > 1 ? ` of ${context}` : ''} with ${source.prometheus.queryCount - before} Prometheus queries in ${Math.round(performance.now() - started)} ms.\n`,
        );
    } catch (error) {
      warn(
        `risk signals${sources.length > 1 ? ` of ${context}` : ''} could not be read: ${explainError(error, CLI_PARAMETER_NAMES)}`,
      );
      if (sources.length === 1) return null;
    }
  }
  return all;
}

/**
 * Every container's usage history, for the HTML report's charts (their signals come with them), keyed by
 * scanRowKey; empty when they could not be read (said on stderr) or the scan came from --krr-binary.
 */
export async function scanHistories(
  result: ScanResult,
  sources: readonly ScanSource[],
  flags: ParsedFlags,
  io: CliIo,
): Promise<ContainerUsageHistory[]> {
  const all: ContainerUsageHistory[] = [];
  for (const source of sources) {
    const part = clusterPart(result, source);
    const context = source.kube.identity.context;
    try {
      const histories = await loadScanHistory(
        source.kube,
        source.prometheus,
        part,
        part.scans.map((scan) => historyKey(scan.object)),
        {
          time: source.time,
          ...(source.observed ? { observed: source.observed } : {}),
          ...(source.relatedPodLabel ? { relatedPodLabel: source.relatedPodLabel } : {}),
        },
      );
      all.push(...histories.map((h) => ({ ...h, key: `${context}/${h.key}` })));
    } catch (error) {
      if (!flags.quiet)
        io.stderr.write(
          `Warning: the usage charts${sources.length > 1 ? ` of ${context}` : ''} could not be read: ${explainError(error, CLI_PARAMETER_NAMES)}\n`,
        );
    }
  }
  return all;
}
