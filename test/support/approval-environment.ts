import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ChangeAuthority } from '../../src/core/approval/change-authority.js';
import { HeadlessAuthority } from './approval/headless-authority.js';
import { ScriptedDecisionSurface } from './approval/scripted-decision-surface.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { DEFAULT_PRICES } from '../../src/core/changes/cost.js';
import { DEFAULT_SAFETY_RULES, type SafetyRules } from '../../src/core/changes/safety-rules.js';
import { PrometheusClient } from '../../src/core/prometheus/client.js';
import { SnapshotStore } from '../../src/core/changes/snapshot-store.js';
import { loadKubeTarget } from '../../src/core/kube/kubeconfig.js';
import { CLI_PATH } from './cli/run-cli.js';
import type { EngineEnvironment } from './engine-environment.js';
import { registerAuthorityMethods } from '../../src/core/approval/authority-methods.js';
import { VerificationRunner } from '../../src/core/approval/verification-runner.js';
import type { Clock } from '../../src/core/verify/clock.js';

/**
 * The authority side of the change pipeline without VS Code: the real broker, tokens, executor, snapshot
 * store and audit log, with a scripted person at the decision surface. The clock can be moved forward
 * to expire tokens.
 */
export interface ApprovalEnvironment {
  surface: ScriptedDecisionSurface;
  authority: HeadlessAuthority;
  audit: AuditLog;
  auditPath: string;
  snapshots: SnapshotStore;
  verifications: VerificationRunner;
  /**
   * What a restart of the editor does to verifications: the running ones stop without a verdict, and a new
   * runner on the same audit log resumes them (that runner becomes `verifications`; applies still report to
   * the old one, closed, which starts nothing).
   */
  restartVerifications(): Promise<string[]>;
  advanceClock(ms: number): void;
  /** An MCP client connected to a freshly spawned `krr-mcp serve` that holds a new per-spawn secret. */
  connectServer(extraEnv?: Record<string, string>): Promise<{ client: Client; stderr: () => string }>;
  serverEnv(): Record<string, string>;
  stop(): Promise<void>;
}

/** What the authority needs of the environment: a directory, the cluster's kubeconfig and a Prometheus. */
export type AuthorityTarget = Pick<EngineEnvironment, 'dir' | 'kubeconfig'> & { prometheus: { url: string } };

export interface ApprovalEnvironmentOptions {
  waitMs?: number;
  prometheusUrl?: string;
  safety?: Partial<SafetyRules>;
  /** Offer the person to resize running pods in place (the authority's setting). */
  offerInPlaceResize?: boolean;
  /** Verify every apply for this window, on this clock (default: no verification). */
  verification?: { windowMs: number; clock?: Clock };
}

export async function startApprovalEnvironment(
  env: AuthorityTarget,
  options: ApprovalEnvironmentOptions = {},
): Promise<ApprovalEnvironment> {
  let offset = 0;
  const clock = () => Date.now() + offset;
  const surface = new ScriptedDecisionSurface();
  const authority = await HeadlessAuthority.start({ surface, clock, baseDir: env.dir });
  const auditPath = join(env.dir, 'audit', 'audit.jsonl');
  const audit = await AuditLog.open(auditPath);
  const snapshots = new SnapshotStore(join(env.dir, 'snapshots'));
  const kube = (context: string) => loadKubeTarget({ kubeconfig: env.kubeconfig, context });
  const prometheus = async () =>
    new PrometheusClient({ url: options.prometheusUrl ?? env.prometheus.url, retries: 0 });
  const newRunner = () =>
    new VerificationRunner({
      kube,
      prometheus,
      audit: async (entry) => {
        await audit.append(entry);
      },
      auditPath,
      windowMs: () => options.verification?.windowMs ?? 0,
      ...(options.verification?.clock ? { clock: options.verification.clock } : {}),
    });
  const verifications = newRunner();
  let resumed: VerificationRunner | undefined;
  registerAuthorityMethods(
    authority.broker,
    new ChangeAuthority({
      kube,
      approvals: authority.authority,
      audit,
      snapshots,
      safety: { ...DEFAULT_SAFETY_RULES, ...options.safety },
      prices: DEFAULT_PRICES,
      // The person's Prometheus: the authority reads the usage behind every plan itself.
      prometheus,
      waitMs: options.waitMs ?? 4000,
      offerInPlaceResize: () => options.offerInPlaceResize ?? false,
      verifications,
    }),
  );

  const clients: Client[] = [];
  const serverEnv = () => ({
    PATH: process.env.PATH ?? '',
    HOME: env.dir,
    KUBECONFIG: env.kubeconfig,
    PROMETHEUS_URL: env.prometheus.url,
    KRR_MCP_AUDIT_LOG: auditPath,
    KRR_MCP_STATE_DIR: join(env.dir, 'state'),
    // How long request_confirmation waits before answering "pending" (the server tells the authority).
    CONFIRMATION_TIMEOUT: String(Math.round((options.waitMs ?? 4000) / 1000)),
  });
  return {
    surface,
    authority,
    audit,
    auditPath,
    snapshots,
    get verifications() {
      return resumed ?? verifications;
    },
    async restartVerifications() {
      await (resumed ?? verifications).close();
      await audit.idle();
      resumed = newRunner();
      return resumed.resumePending();
    },
    advanceClock: (ms) => (offset += ms),
    serverEnv,
    async connectServer(extraEnv = {}) {
      const { secret, ipcPath } = authority.issueSecret();
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI_PATH, 'serve'],
        env: { ...serverEnv(), KRR_MCP_IPC_PATH: ipcPath, KRR_MCP_IPC_SECRET: secret, ...extraEnv },
        stderr: 'pipe',
      });
      let stderr = '';
      transport.stderr?.on('data', (c: Buffer) => (stderr += c));
      const client = new Client({ name: 'krr-mcp-approval-test', version: '1.0.0' });
      await client.connect(transport);
      clients.push(client);
      return { client, stderr: () => stderr };
    },
    async stop() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await verifications.close();
      await resumed?.close();
      await authority.close();
      await audit.close();
    },
  };
}
