// The charts in words, for screen readers and for anyone who wants the numbers: what the strategy read,
// the current and proposed request and limit, and the signals (OOM kills, throttling, restarts). Pure.
import type { UsageChart } from '../../src/extension/approval/panel-protocol.js';
import { formatBytes, formatCores, formatDuration, formatShare, formatTime } from './units.js';

type Resource = 'cpu' | 'memory';

function amount(value: number | null | undefined, resource: Resource): string {
  if (value === null || value === undefined) return 'unset';
  return resource === 'cpu' ? formatCores(value) : formatBytes(value);
}

/** "request 0.1 cores → 0.42 cores" when the proposal changes it, "request 0.1 cores" when not. */
function line(chart: UsageChart, which: 'requests' | 'limits', resource: Resource): string {
  const now = chart.history.current[which][resource];
  const word = which === 'requests' ? 'request' : 'limit';
  const proposed = chart.proposed[which][resource];
  if (proposed === undefined || proposed === (now ?? null)) return `${word} ${amount(now, resource)}`;
  return `${word} ${amount(now, resource)} → ${amount(proposed, resource)}`;
}

function cpuSentence(chart: UsageChart, window: string): string {
  const { cpu } = chart.history;
  const read =
    cpu.series.length === 0
      ? 'no usage recorded'
      : cpu.percentileValue === null
        ? `no p${cpu.percentile} over ${window}`
        : `p${cpu.percentile} ${formatCores(cpu.percentileValue)} over ${window}`;
  return `CPU: ${read}; ${line(chart, 'requests', 'cpu')}; ${line(chart, 'limits', 'cpu')}.`;
}

function memorySentence(chart: UsageChart, window: string): string {
  const { memory } = chart.history;
  const read =
    memory.series.length === 0
      ? 'no usage recorded'
      : memory.peak === null
        ? `no peak over ${window}`
        : `peak ${formatBytes(memory.peak)} over ${window} (plus a ${memory.bufferPercent}% buffer)`;
  return `Memory: ${read}; ${line(chart, 'requests', 'memory')}; ${line(chart, 'limits', 'memory')}.`;
}

function signalSentences(chart: UsageChart): string[] {
  const { oomKills, throttling, restarts } = chart.history;
  const sentences: string[] = [];
  if (oomKills.length > 0) {
    const last = formatTime(Math.max(...oomKills));
    sentences.push(
      `${oomKills.length} OOM ${oomKills.length === 1 ? 'kill' : 'kills'}, the last at ${last}.`,
    );
  }
  if (throttling) sentences.push(`CPU throttled in up to ${formatShare(throttling.max)} of periods.`);
  if (restarts && restarts.total > 0)
    sentences.push(`${restarts.total} ${restarts.total === 1 ? 'restart' : 'restarts'} in the window.`);
  return sentences;
}

/** One paragraph per container: what a sighted person reads off its charts. */
export function chartSummary(chart: UsageChart): string {
  const { start, end } = chart.history.window;
  const window = formatDuration(end - start);
  return [cpuSentence(chart, window), memorySentence(chart, window), ...signalSentences(chart)].join(' ');
}
