// A small cAdvisor history written as OpenMetrics for the real Prometheus: per pod and container a constant
// memory working set, and CFS period counters throttled at a given share — what the verification reads after
// a change. (The shared fixture generator draws usage from the cluster model; this is just enough for one test.)

import { writeFileSync } from 'node:fs';

export interface ContainerSeries {
  namespace: string;
  pod: string;
  container: string;
  workingSetBytes: number;
  /** Share of CFS periods throttled (0–1). */
  throttledShare: number;
}

/** Samples every 30 s over [from, to] (Unix seconds, multiples of 30), each series in time order. */
export function writeVerificationMetrics(
  path: string,
  series: ContainerSeries[],
  from: number,
  to: number,
): void {
  const lines: string[] = [];
  const labels = (s: ContainerSeries) =>
    `{namespace="${s.namespace}",pod="${s.pod}",container="${s.container}"}`;
  const times: number[] = [];
  for (let t = from; t <= to; t += 30) times.push(t);
  lines.push('# TYPE container_memory_working_set_bytes gauge');
  for (const s of series)
    for (const t of times)
      lines.push(`container_memory_working_set_bytes${labels(s)} ${s.workingSetBytes} ${t}`);
  // 10 CFS periods a second (100 ms each); the counters start high so rate() never sees a reset.
  lines.push('# TYPE container_cpu_cfs_periods counter');
  for (const s of series)
    times.forEach((t, i) =>
      lines.push(`container_cpu_cfs_periods_total${labels(s)} ${100_000 + i * 300} ${t}`),
    );
  lines.push('# TYPE container_cpu_cfs_throttled_periods counter');
  for (const s of series)
    times.forEach((t, i) =>
      lines.push(
        `container_cpu_cfs_throttled_periods_total${labels(s)} ${10_000 + Math.round(i * 300 * s.throttledShare)} ${t}`,
      ),
    );
  lines.push('# EOF');
  writeFileSync(path, `${lines.join('\n')}\n`);
}
