import type { HistoryData, LoaderName } from '../history.js';
import type { CommonSettings, StrategyConfig } from '../settings.js';
import { describeSimple, runSimple, simpleLoaders } from './simple.js';
import { describeSimpleLimit, runSimpleLimit, simpleLimitLoaders } from './simple-limit.js';
import type { StrategyOutput, WorkloadHpaTargets } from './strategy-contract.js';

// Re-exported for the callers that know the dispatcher only.
export type { StrategyOutput, WorkloadHpaTargets } from './strategy-contract.js';

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
