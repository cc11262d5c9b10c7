import type { PrometheusClient, Sample, Series } from '../../../../src/core/prometheus/client.js';
import { chartWindow } from '../../../../src/core/evidence/history-queries.js';
import type { HistoryContainer } from '../../../../src/core/evidence/usage-history.js';

// A Prometheus double for the loader's tests: it answers each query from hand-made series, by the metric the
// query reads, and records what was asked.

export const TIME = 1_763_900_000;
export const HOURS = 24;
export const window = chartWindow(TIME, HOURS);
export const at = (k: number) => window.start + k * window.stepSeconds;

type Answers = Partial<Record<'cpu' | 'memory' | 'throttling' | 'oom' | 'restarts' | 'hpa', Series[]>>;

export function prometheus(answers: Answers, percentiles: Sample[] = []) {
  const asked: Array<{ kind: 'range' | 'instant'; query: string }> = [];
  const which = (query: string): keyof Answers =>
    query.includes('horizontalpodautoscaler')
      ? 'hpa'
      : query.includes('cfs_throttled')
        ? 'throttling'
        : query.includes('last_terminated_reason')
          ? 'oom'
          : query.includes('restarts_total')
            ? 'restarts'
            : query.includes('working_set')
              ? 'memory'
              : 'cpu';
  const client = {
    queryCount: 0,
    async rangeQuery(query: string) {
      asked.push({ kind: 'range', query });
      return answers[which(query)] ?? [];
    },
    async instantQuery(query: string) {
      asked.push({ kind: 'instant', query });
      return percentiles;
    },
  };
  return { client: client as unknown as PrometheusClient, asked };
}

export const series = (pod: string, values: number[], extra: Record<string, string> = {}): Series => ({
  metric: { namespace: 'shop', pod, container: 'app', ...extra },
  timestamps: values.map((_, k) => at(k)),
  values,
});

export const container = (
  name: string,
  pods: string[],
  extra: Partial<HistoryContainer> = {},
): HistoryContainer => ({
  namespace: 'shop',
  kind: 'Deployment',
  name,
  container: 'app',
  pods: pods.map((p) => ({ name: p, deleted: false })),
  current: { requests: { cpu: 0.25 }, limits: {} },
  ...extra,
});
