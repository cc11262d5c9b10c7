import type { HistoryData, LoaderName } from '../history.js';
import type { ResourceRecommendation } from '../model.js';
import type { CommonSettings, StrategyConfig } from '../settings.js';
import { describeSimple, runSimple, simpleLoaders } from './simple.js';
import { describeSimpleLimit, runSimpleLimit, simpleLimitLoaders } from './simple-limit.js';

/** The utilization targets of the HPA scaling a workload (null where it does not scale on that resource). */
export interface WorkloadHpaTargets {
  cpu: number | null;
  memory: number | null;
}

export interface StrategyOutput {
  cpu: ResourceRecommendation;
  memory: ResourceRecommendation;
}

/** One entry point over both strategies, so the scanner does not branch on the strategy's name. */
export interface Strategy {
  readonly config: StrategyConfig;
  readonly common: CommonSettings;
  /** The metric loaders this strategy reads, as krr names them. */
  loaders(): LoaderName[];
  /** The CPU percentile evaluated by Prometheus (simple only). */
  cpuPercentile(): number | undefined;
  run(history: HistoryData, hpa: WorkloadHpaTargets): StrategyOutput;
  description(): string;
}

export function createStrategy(config: StrategyConfig): Strategy {
  if (config.name === 'simple') {
    const s = config.settings;
    return {
      config,
      common: s,
      loaders: () => simpleLoaders(s),
      cpuPercentile: () => s.cpu_percentile,
      run: (history, hpa) => runSimple(history, s, hpa),
      description: () => describeSimple(s),
    };
  }
  const s = config.settings;
  return {
    config,
    common: s,
    loaders: () => simpleLimitLoaders(s),
    cpuPercentile: () => undefined,
    run: (history, hpa) => runSimpleLimit(history, s, hpa),
    description: () => describeSimpleLimit(s),
  };
}
