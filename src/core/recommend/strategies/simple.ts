import { loaderValues, maxOfAll, sumOfFirstValues, type HistoryData, type LoaderName } from '../history.js';
import type { ResourceRecommendation } from '../model.js';
import type { SimpleSettings } from '../settings.js';
import { memoryRecommendation, UNDEFINED } from './memory.js';
import type { StrategyOutput, WorkloadHpaTargets } from './strategy-contract.js';

/** Which loaders `simple` reads (krr's SimpleStrategy.metrics). */
export function simpleLoaders(settings: SimpleSettings): LoaderName[] {
  const loaders: LoaderName[] = [
    'PercentileCPULoader',
    'MaxMemoryLoader',
    'CPUAmountLoader',
    'MemoryAmountLoader',
  ];
  if (settings.use_oomkill_data) loaders.push('MaxOOMKilledMemoryLoader');
  return loaders;
}

/** CPU request = the highest per-pod percentile computed by Prometheus; the CPU limit stays unset. */
export function simpleCpu(
  history: HistoryData,
  settings: SimpleSettings,
  hpaCpuTarget: number | null,
): ResourceRecommendation {
  const percentiles = loaderValues(history, 'PercentileCPULoader');
  if (percentiles.size === 0) return UNDEFINED('No data');
  if (sumOfFirstValues(loaderValues(history, 'CPUAmountLoader')) < settings.points_required) {
    return UNDEFINED('Not enough data');
  }
  if (hpaCpuTarget !== null && !settings.allow_hpa) return UNDEFINED('HPA detected');
  return { request: maxOfAll(percentiles), limit: null, info: null };
}

export function runSimple(
  history: HistoryData,
  settings: SimpleSettings,
  hpa: WorkloadHpaTargets,
): StrategyOutput {
  return {
    cpu: simpleCpu(history, settings, hpa.cpu),
    memory: memoryRecommendation(history, settings, hpa.memory),
  };
}

export function describeSimple(s: SimpleSettings): string {
  return [
    '[b]Simple Strategy[/b]',
    '',
    `CPU request: ${s.cpu_percentile.toFixed(1)}% percentile, limit: unset`,
    `Memory request: max + ${s.memory_buffer_percentage.toFixed(1)}%, limit: max + ${s.memory_buffer_percentage.toFixed(1)}%`,
    `History: ${s.history_duration.toFixed(1)} hours`,
    `Step: ${s.timeframe_duration.toFixed(2)} minutes`,
    '',
    `All parameters can be customized. For example: \`krr simple --cpu_percentile=90 --memory_buffer_percentage=15 --history_duration=24 --timeframe_duration=0.5\``,
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
