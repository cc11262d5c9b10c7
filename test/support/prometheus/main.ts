// Starts a Prometheus loaded with a synthetic cluster's history, for trying the CLI or the extension by hand.
// Usage: node --import tsx test/support/prometheus/main.ts [--workloads 50] [--history-hours 24] [--seed 1]

import { parseArgs } from 'node:util';
import { buildSyntheticCluster } from '../fixture/synthetic-cluster.js';
import { startPrometheus } from '../../../src/demo/prometheus/prometheus-process.js';

const { values } = parseArgs({
  options: {
    workloads: { type: 'string', default: '50' },
    namespaces: { type: 'string', default: '6' },
    'history-hours': { type: 'string', default: '24' },
    seed: { type: 'string', default: '1' },
  },
});

const step = 30;
// A little in the past and minute-aligned, so that the history is recent and a cached TSDB is reused for a minute.
const endTime = Math.floor((Date.now() / 1000 - 120) / 60) * 60;
const cluster = buildSyntheticCluster({
  workloads: positive(values.workloads, '--workloads'),
  namespaces: positive(values.namespaces, '--namespaces'),
  endTime,
  historySeconds: positive(values['history-hours'], '--history-hours') * 3600,
  seed: Number(values.seed),
  scrapeIntervalSeconds: step,
});

const started = Date.now();
const prometheus = await startPrometheus({ cluster });
console.log(
  `Prometheus ${prometheus.url} (pid ${prometheus.pid}), ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  `history ${new Date((endTime - cluster.historySeconds) * 1000).toISOString()} – ${new Date(endTime * 1000).toISOString()}`,
);
console.log(
  `end time ${endTime}; ${prometheus.generated.series} series, ${prometheus.generated.samples} samples`,
);
console.log('Ctrl-C to stop.');

// The Prometheus child is unref'd (so that tests cannot hang on it): something else must keep this process alive.
const keepAlive = setInterval(() => {}, 1 << 30);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    void prometheus.stop().then(() => process.exit(0));
  });
}

function positive(text: string | undefined, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${flag} must be a positive integer, got ${text}`);
  return value;
}
