import { loaderValues, sumOfFirstValues, type HistoryData, type LoaderName } from '../history.js';
import type { ResourceRecommendation } from '../model.js';
import { percentile } from '../percentile.js';
import type { SimpleLimitSettings } from '../settings.js';
import { memoryRecommendation, UNDEFINED } from './memory.js';
import type { StrategyOutput, WorkloadHpaTargets } from './strategy-contract.js';

/** Which loaders `simple_limit` reads (krr's SimpleLimitStrategy.metrics). */
export function simpleLimitLoaders(settings: SimpleLimitSettings): LoaderName[] {
  const loaders: LoaderName[] = ['CPULoader', 'MaxMemoryLoader', 'CPUAmountLoader', 'MemoryAmountLoader'];
  if (settings.use_oomkill_data) loaders.push('MaxOOMKilledMemoryLoader');
  return loaders;
}

/**
 * CPU request and limit are percentiles of every pod's rate samples pooled together (not the max of
 * per-pod percentiles as in `simple`; krr issue #413 is about that difference).
 */
export function simpleLimitCpu(
  history: HistoryData,
  settings: SimpleLimitSettings,
  hpaCpuTarget: number | null,
): ResourceRecommendation {
  const samples = loaderValues(history, 'CPULoader');
  if (samples.size === 0) return UNDEFINED('No data');
  if (sumOfFirstValues(loaderValues(history, 'CPUAmountLoader')) < settings.points_required) {
    return UNDEFINED('Not enough data');
  }
  if (hpaCpuTarget !== null && !settings.allow_hpa) return UNDEFINED('HPA detected');
  const pooled: number[] = [];
  for (const series of samples.values()) for (const v of series) pooled.push(v);
  return {
    request: percentile(pooled, settings.cpu_request),
    limit: percentile(pooled, settings.cpu_limit),
    info: null,
  };
}

export function runSimpleLimit(
  history: HistoryData,
  settings: SimpleLimitSettings,
  hpa: WorkloadHpaTargets,
): StrategyOutput {
  return {
    cpu: simpleLimitCpu(history, settings, hpa.cpu),
    memory: memoryRecommendation(history, settings, hpa.memory),
  };
}

export function describeSimpleLimit(s: SimpleLimitSettings): string {
  return [
    '[b]Simple Limit Strategy[/b]',
    '',
    `CPU request: ${s.cpu_request.toFixed(1)}% percentile, limit: ${s.cpu_limit.toFixed(1)}% percentile`,
    `Memory request: max + ${s.memory_buffer_percentage.toFixed(1)}%, limit: max + ${s.memory_buffer_percentage.toFixed(1)}%`,
    `History: ${s.history_duration.toFixed(1)} hours`,
    `Step: ${s.timeframe_duration.toFixed(2)} minutes`,
    '',
    `All parameters can be customized. For example: \`krr simple_limit --cpu_request=66 --cpu_limit=96 --memory_buffer_percentage=15 --history_duration=24 --timeframe_duration=0.5\``,
    ...(s.allow_hpa
      ? []
      : [
          '',
          'This strategy does not work with objects with HPA defined (Horizontal Pod Autoscaler).',
          'If HPA is defined for CPU or Memory, the strategy will return "?" for that resource.',
          'You can override this behaviour by passing the --allow-hpa flag',
        ]),
    '',
    'Learn more: [underline]https://github.com/robusta-dev/krr#algorithm[/underline]',
  ].join('\n');
}
