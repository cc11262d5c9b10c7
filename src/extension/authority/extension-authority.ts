import { join } from 'node:path';
import { ApprovalAuthority } from '../../core/approval/authority.js';
import type { DecisionSurface } from '../../core/approval/approval-request.js';
import {
  publishBrokerDescriptor,
  defaultStateDir,
  type PublishedDescriptor,
} from '../../core/approval/broker-descriptor.js';
import { ChangeAuthority } from '../../core/approval/change-authority.js';
import type { ApplyResultSummary } from '../../core/approval/change-protocol.js';
import { ApprovalBroker, type IssuedSecret } from '../../core/approval/ipc/broker.js';
import { AuditLog } from '../../core/audit/audit-log.js';
import type { Prices } from '../../core/changes/cost.js';
import type { SafetyRules } from '../../core/changes/safety-rules.js';
import type { PrometheusForCluster } from '../../core/evidence/usage-evidence.js';
import { SnapshotStore } from '../../core/changes/snapshot-store.js';
import type { ClusterIdentity, KubeTarget } from '../../core/kube/kubeconfig.js';
import { registerAuthorityMethods } from '../../core/approval/authority-methods.js';
import { VerificationRunner, type VerificationUpdate } from '../../core/approval/verification-runner.js';

export interface ExtensionAuthorityOptions {
  surface: DecisionSurface;
  /** Where the snapshots live (the extension's global storage). */
  storageDir: string;
  /** The audit log: the one `krr-mcp audit verify` and every MCP server read (see core/audit/paths.ts). */
  auditLogPath: string;
  kube(context: string): KubeTarget;
  safety: SafetyRules;
  prices: Prices;
  /** The person's Prometheus: the usage evidence of every plan is read there. */
  prometheus?: PrometheusForCluster;
  /** Publish a descriptor so `krr-mcp serve` started outside VS Code can reach this authority. */
  publishFor?: ClusterIdentity;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** How long an approval request waits for the person's decision (default 10 minutes). */
  approvalExpiryMs?: () => number;
  /** After every apply or rollback that wrote to the cluster, from the editor or from any agent. */
  onApplied?: (result: ApplyResultSummary) => void;
  /** Minutes each post-apply verification watches (a setting, read per apply); 0: none. */
  verificationMinutes?: () => number;
  /** Whether plans offer the person to resize running pods in place (a setting, read per plan). */
  offerInPlaceResize?: () => boolean;
  /** Every step of every verification (a badge in the tree, a notification at the end). */
  onVerification?: (update: VerificationUpdate) => void;
}

/**
 * The approval authority as the extension hosts it: the only holder of the token key, the only
 * executor of cluster writes and the only writer of the audit log. MCP servers reach it over the
 * private socket with a per-spawn secret.
 */
export class ExtensionAuthority {
  private constructor(
    private readonly broker: ApprovalBroker,
    private readonly approvals: ApprovalAuthority,
    readonly audit: AuditLog,
    readonly changes: ChangeAuthority,
    readonly verifications: VerificationRunner,
    private descriptor: PublishedDescriptor | undefined,
    private standing: string | undefined,
  ) {}

  static async start(options: ExtensionAuthorityOptions): Promise<ExtensionAuthority> {
    const broker = await ApprovalBroker.listen({
      ...(options.log
        ? {
            log: (event) =>
              options.log!(
                `broker ${event.event} (connection ${event.connectionId})${event.detail ? `: ${event.detail}` : ''}`,
              ),
          }
        : {}),
    });
    const approvals = new ApprovalAuthority({
      surface: options.surface,
      ...(options.approvalExpiryMs ? { decisionTimeoutMs: options.approvalExpiryMs } : {}),
    });
    const audit = await AuditLog.open(options.auditLogPath);
    const verifications = new VerificationRunner({
      kube: options.kube,
      ...(options.prometheus ? { prometheus: options.prometheus } : {}),
      audit: async (entry) => {
        await audit.append(entry);
      },
      auditPath: options.auditLogPath,
      windowMs: () => (options.verificationMinutes?.() ?? 10) * 60_000,
      ...(options.onVerification ? { onUpdate: options.onVerification } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    const changes = new ChangeAuthority({
      kube: options.kube,
      approvals,
      audit,
      snapshots: new SnapshotStore(join(options.storageDir, 'snapshots')),
      safety: options.safety,
      prices: options.prices,
      ...(options.prometheus ? { prometheus: options.prometheus } : {}),
      ...(options.onApplied ? { onApplied: options.onApplied } : {}),
      ...(options.offerInPlaceResize ? { offerInPlaceResize: options.offerInPlaceResize } : {}),
      verifications,
    });
    registerAuthorityMethods(broker, changes);
    let descriptor: PublishedDescriptor | undefined;
    let standing: string | undefined;
    if (options.publishFor) {
      const issued = broker.issueStandingSecret();
      standing = issued.secret;
      descriptor = await publishBrokerDescriptor(defaultStateDir(options.env ?? process.env), {
        pid: process.pid,
        ipcPath: issued.ipcPath,
        secret: issued.secret,
        createdAt: new Date().toISOString(),
        context: options.publishFor.context,
        server: options.publishFor.server,
      });
    }
    // Verifications a restart of the extension host interrupted continue where they were.
    void verifications
      .resumePending()
      .then((ids) => {
        if (ids.length > 0) options.log?.(`Resumed ${ids.length} post-apply verification(s)`);
      })
      .catch((error: Error) => options.log?.(`Pending verifications not resumed: ${error.message}`));
    return new ExtensionAuthority(broker, approvals, audit, changes, verifications, descriptor, standing);
  }

  /** A secret for one MCP server process: admits exactly one connection. */
  issueSecret(): IssuedSecret {
    return this.broker.issueSecret();
  }

  get auditPath(): string {
    return this.audit.path;
  }

  async dispose(): Promise<void> {
    if (this.standing) this.broker.revokeSecret(this.standing);
    await this.descriptor?.dispose();
    this.approvals.close();
    // Stopped without a verdict: they stay pending in the audit log and resume on the next start.
    await this.verifications.close();
    await this.broker.close();
    await this.audit.close();
  }
}
