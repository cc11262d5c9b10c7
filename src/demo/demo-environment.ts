// The demo's cluster: the Kubernetes API simulator serving the demo workloads (Kubernetes 1.33, controllers on
// the wall clock: demo-simulator.ts), and a real Prometheus holding their 14 days of history, with a kubeconfig
// that points at the simulator. Nothing here touches the user's own kubeconfig or audit log: everything lives in
// the demo's directory.

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureCluster } from './cluster-model.js';
import { buildDemoCluster, DEMO_CONTEXT } from './demo-cluster.js';
import { demoManifests } from './demo-manifests.js';
import { DEMO_KUBERNETES_VERSION, startDemoSimulator } from './demo-simulator.js';
import type { KubeSimulator } from './kube-simulator/index.js';
import {
  startPrometheus,
  type BackfillProgress,
  type RunningPrometheus,
} from './prometheus/prometheus-process.js';

export interface DemoEnvironment {
  /** The demo's kubeconfig (mode 0600; its token is the simulator's). */
  kubeconfig: string;
  context: string;
  apiServerUrl: string;
  prometheusUrl: string;
  /** KRR_MCP_STATE_DIR for everything the demo starts: broker descriptors, audit log, snapshots. */
  stateDir: string;
  workloads: number;
  containers: number;
  /** The demo cluster's workloads as manifests (path in the workspace → text). */
  manifests: Record<string, string>;
  /** The model both the simulator and Prometheus' history come from. */
  cluster: FixtureCluster;
  /** The simulator itself, in this process: its store, clock and behaviour (for tests). */
  simulator: KubeSimulator;
  /** Stops Prometheus and the simulator; safe to call more than once. */
  stop(): Promise<void>;
}

export interface DemoEnvironmentOptions {
  /** Where the kubeconfig and the state go. */
  dir: string;
  /** The history ends here (unix seconds); default now. */
  endTime?: number;
  /** Progress lines for the person waiting. */
  onProgress?: (message: string) => void;
  /** The history's generation and backfill, the long wait of a first start. */
  onBackfill?: (progress: BackfillProgress) => void;
  /** Stops a start in progress (Ctrl-C). */
  signal?: AbortSignal;
  /** The simulator's clock follows the wall clock (default true); false: tests advance it themselves. */
  wallClock?: boolean;
}

export async function startDemoEnvironment(options: DemoEnvironmentOptions): Promise<DemoEnvironment> {
  const progress = options.onProgress ?? (() => {});
  const cluster = buildDemoCluster(options.endTime ?? Date.now() / 1000);
  const stateDir = join(options.dir, 'state');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });

  let prometheus: RunningPrometheus | undefined;
  let simulator: KubeSimulator | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled([prometheus?.stop(), simulator?.stop()]);
  };
  try {
    progress('Starting Prometheus with 14 days of the demo cluster’s history…');
    const started = Date.now();
    prometheus = await startPrometheus(
      { cluster },
      {
        ...(options.onBackfill ? { onProgress: options.onBackfill } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    progress(
      `Prometheus ${prometheus.url} ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${prometheus.generated.series} series).`,
    );
    const token = randomBytes(24).toString('base64url');
    simulator = await startDemoSimulator(cluster, { token, wallClock: options.wallClock ?? true });
    const kubeconfig = simulator.writeKubeconfig(join(options.dir, 'kubeconfig.yaml'), {
      contextName: DEMO_CONTEXT,
      userName: 'demo-user',
    });
    progress(
      `Kubernetes API (simulated, Kubernetes ${DEMO_KUBERNETES_VERSION}) ${simulator.url}, context "${DEMO_CONTEXT}".`,
    );
    return {
      kubeconfig,
      context: DEMO_CONTEXT,
      apiServerUrl: simulator.url,
      prometheusUrl: prometheus.url,
      stateDir,
      workloads: cluster.workloads.length,
      manifests: demoManifests(cluster),
      cluster,
      simulator,
      containers: cluster.workloads.reduce((n, w) => n + w.containers.length, 0),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
