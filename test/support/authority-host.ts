// A headless approval authority in its own process, so a test can kill it mid-apply (SIGKILL) and start
// it again on the same snapshot and audit directories. The "person" is the test: every approval request
// is printed as a JSON line on stdout, and the test answers with `{"planId", "decision"}` on stdin.
//
// Usage: node --import tsx test/support/authority-host.ts --kubeconfig FILE --dir DIR
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { ApprovalRequest, Decision, DecisionSurface } from '../../src/core/approval/approval-request.js';
import { ChangeAuthority } from '../../src/core/approval/change-authority.js';
import { HeadlessAuthority } from './approval/headless-authority.js';
import { AuditLog } from '../../src/core/audit/audit-log.js';
import { DEFAULT_PRICES } from '../../src/core/changes/cost.js';
import { DEFAULT_SAFETY_RULES } from '../../src/core/changes/safety-rules.js';
import { SnapshotStore } from '../../src/core/changes/snapshot-store.js';
import { loadKubeTarget } from '../../src/core/kube/kubeconfig.js';
import { registerAuthorityMethods } from '../../src/core/approval/authority-methods.js';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, dir: { type: 'string' } } });
if (!values.kubeconfig || !values.dir) throw new Error('--kubeconfig and --dir are required');
const dir = values.dir;

const print = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const waiting = new Map<string, (decision: Decision) => void>();
createInterface({ input: process.stdin }).on('line', (line) => {
  const { planId, decision } = JSON.parse(line) as { planId: string; decision: Decision };
  waiting.get(planId)?.(decision);
});
const surface: DecisionSurface = {
  decide(request: ApprovalRequest) {
    print({ type: 'request', planId: request.planId, summary: request.summary });
    return new Promise((resolve) => waiting.set(request.planId, resolve));
  },
};

const authority = await HeadlessAuthority.start({ surface, baseDir: dir });
const audit = await AuditLog.open(join(dir, 'audit.jsonl'));
registerAuthorityMethods(
  authority.broker,
  new ChangeAuthority({
    kube: (context) => loadKubeTarget({ kubeconfig: values.kubeconfig!, context }),
    approvals: authority.authority,
    audit,
    snapshots: new SnapshotStore(join(dir, 'snapshots')),
    safety: DEFAULT_SAFETY_RULES,
    prices: DEFAULT_PRICES,
    waitMs: 20_000,
  }),
);
const secrets = [authority.issueSecret(), authority.issueSecret()];
print({ type: 'ready', secrets });
const stop = async () => {
  await authority.close();
  await audit.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
