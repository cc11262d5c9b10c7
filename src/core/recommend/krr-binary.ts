import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { parseQuantityLikeKrr } from '../kube/quantity.js';
import { KrrResultSchema } from './krr-result-schema.js';
import type { ScanResult, WorkloadKind } from './model.js';
import type { StrategyConfig, ValueMinimums } from './settings.js';

export interface KrrBinaryOptions {
  binary: string;
  strategy: StrategyConfig;
  minimums: ValueMinimums;
  namespaces: string[];
  kinds: WorkloadKind[];
  selector?: string;
  /** One or more contexts: krr scans several itself (`-c A -c B`), each with its own Prometheus. */
  contexts: string[];
  kubeconfigPaths: string[];
  prometheusUrl?: string;
  /** krr takes Prometheus credentials only as arguments, which other users can read: we refuse. */
  hasSecretHeaders: boolean;
  timeoutMs?: number;
}

export class KrrBinaryError extends Error {
  override name = 'KrrBinaryError';
}

/** The arguments for `krr <strategy> -f json` equivalent to our settings. */
export function krrArguments(o: KrrBinaryOptions): string[] {
  const args = [o.strategy.name, '-f', 'json', '-q', '--logtostderr'];
  for (const context of o.contexts) args.push('--context', context);
  for (const ns of o.namespaces) args.push('-n', ns);
  for (const kind of o.kinds) args.push('-r', kind);
  if (o.selector) args.push('-s', o.selector);
  if (o.prometheusUrl) args.push('-p', o.prometheusUrl);
  args.push('--cpu-min', String(o.minimums.cpu_min_value), '--mem-min', String(o.minimums.memory_min_value));
  for (const [key, value] of Object.entries(o.strategy.settings)) {
    if (typeof value === 'boolean') {
      if (value) args.push(`--${key}`);
    } else {
      args.push(`--${key}`, String(value));
    }
  }
  return args;
}

/** Runs a user-supplied krr executable and returns its validated result in our model. */
export async function runKrrBinary(o: KrrBinaryOptions): Promise<ScanResult> {
  if (o.hasSecretHeaders) {
    throw new KrrBinaryError(
      'The krr backend cannot be given Prometheus credentials safely (krr only accepts them as command-line arguments, which other users can read). Use the built-in engine (drop --krr-binary).',
    );
  }
  const args = krrArguments(o);
  const env = { ...process.env, KUBECONFIG: o.kubeconfigPaths.join(delimiter) };
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(o.binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30 * 60_000);
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(
          new KrrBinaryError(
            e.code === 'ENOENT'
              ? `krr executable not found: ${o.binary}`
              : `Cannot run ${o.binary}: ${e.message}`,
          ),
        );
      });
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve({
          code: exitCode,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
      });
    },
  );
  if (code !== 0) {
    throw new KrrBinaryError(
      `${o.binary} exited with ${code ?? 'a signal'}: ${stderr.trim().split('\n').slice(-5).join('\n') || '(no output)'}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new KrrBinaryError(
      `${o.binary} did not print JSON (starts with ${JSON.stringify(stdout.slice(0, 80))}).`,
    );
  }
  const parsed = KrrResultSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KrrBinaryError(
      `${o.binary} printed JSON that is not a krr result (${issue?.path.join('.')}: ${issue?.message}).`,
    );
  }
  const toNumber = (v: number | string | null) => (typeof v === 'string' ? parseQuantityLikeKrr(v) : v);
  const result = parsed.data;
  return {
    ...result,
    description: result.description ?? '',
    errors: (result.errors ?? []) as ScanResult['errors'],
    clusterSummary: (result.clusterSummary ?? {}) as ScanResult['clusterSummary'],
    config: result.config ?? {},
    resources: ['cpu', 'memory'],
    scans: result.scans.map((scan) => {
      const a = scan.object.allocations;
      return {
        ...scan,
        object: {
          ...scan.object,
          kind: scan.object.kind as WorkloadKind,
          hpa: scan.object.hpa ? { current_replicas: null, desired_replicas: 0, ...scan.object.hpa } : null,
          allocations: {
            requests: { cpu: toNumber(a.requests.cpu), memory: toNumber(a.requests.memory) },
            limits: { cpu: toNumber(a.limits.cpu), memory: toNumber(a.limits.memory) },
            info: {},
          },
          warnings: (scan.object.warnings ?? []) as ScanResult['scans'][number]['object']['warnings'],
          labels: scan.object.labels ?? null,
          annotations: scan.object.annotations ?? null,
        },
        recommended: {
          ...scan.recommended,
          info: scan.recommended.info as ScanResult['scans'][number]['recommended']['info'],
        },
      };
    }),
  };
}
