// What Prometheus itself needs for our scan's queries: the recorded requests (recording-proxy.ts) replayed
// straight at Prometheus, one at a time, and the sum of their wall times: the scan's work with nothing else in
// the way (no process start, no listing, no parsing, no waiting). A scan that overlaps queries can finish
// sooner on a Prometheus with several cores; the second replay shows how much, keeping the scan's phases in
// order (each phase waits for the one before, as the scan must) with a few requests in flight.
import { Agent, request } from 'node:http';
import type { RecordedRequest } from './recording-proxy.js';

export type ScanPhase = 'check' | 'discovery' | 'usage' | 'summary';
const PHASE_ORDER: readonly ScanPhase[] = ['check', 'discovery', 'usage', 'summary'];

/** The phase of the scan that sent a request, from its query text. */
export function scanPhase(recorded: RecordedRequest): ScanPhase {
  const form = new URLSearchParams(recorded.body);
  const query = form.get('query') ?? '';
  if (query.includes('prometheus_tsdb_head_series')) return 'check';
  if (/\b(kube_replicaset_owner|kube_job_owner|kube_pod_owner|kube_pod_status_phase)\b/.test(query))
    return 'discovery';
  if (/\b(machine_memory_bytes|machine_cpu_cores)\b|namespace="kube-system"/.test(query)) return 'summary';
  return 'usage';
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Sends one recorded request; resolves when its whole answer has arrived. */
function send(base: URL, recorded: RecordedRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: recorded.method,
        path: recorded.path,
        agent,
        headers: {
          Accept: 'application/json',
          ...(recorded.contentType ? { 'Content-Type': recorded.contentType } : {}),
          'Content-Length': String(Buffer.byteLength(recorded.body)),
        },
      },
      (res) => {
        res.on('data', () => {});
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`replay of ${recorded.path} answered ${status}`));
        });
      },
    );
    req.on('error', reject);
    req.end(recorded.body);
  });
}

/** Seconds for every request, one after the other. */
export async function replayOneAtATime(url: string, requests: readonly RecordedRequest[]): Promise<number> {
  const base = new URL(url);
  const started = performance.now();
  for (const r of requests) await send(base, r);
  return (performance.now() - started) / 1000;
}

/** Seconds for every request, phase after phase, `inFlight` at once within a phase, in recorded order. */
export async function replayPhaseOrdered(
  url: string,
  requests: readonly RecordedRequest[],
  inFlight: number,
): Promise<number> {
  const base = new URL(url);
  const started = performance.now();
  for (const phase of PHASE_ORDER) {
    const queue = requests.filter((r) => scanPhase(r) === phase);
    let next = 0;
    const worker = async () => {
      while (next < queue.length) await send(base, queue[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, queue.length) }, worker));
  }
  return (performance.now() - started) / 1000;
}
