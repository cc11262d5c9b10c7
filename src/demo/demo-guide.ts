// What `krr-mcp demo` tells the person: the README the demo workspace opens on, and the lines the terminal
// prints once the editor is up. Both name the workloads that show what happens after the click, from the same
// constants the demo cluster's behaviour is configured with, so the guide cannot drift from the cluster.

import { DEMO_HISTORY_DAYS } from './demo-cluster.js';
import {
  DEMO_IN_PLACE_RESIZE,
  DEMO_KUBERNETES_VERSION,
  DEMO_OOM_AFTER_MEMORY_CUT,
  DEMO_VERIFICATION_MINUTES,
} from './demo-simulator.js';

/** The workload that degrades after krr's memory cut (demo-simulator.ts). */
export const OOM_AFTER_MEMORY_CUT = `${DEMO_OOM_AFTER_MEMORY_CUT.namespace}/${DEMO_OOM_AFTER_MEMORY_CUT.workload}`;
/** The workload whose recommendation can be applied to its running pods in place (demo-simulator.ts). */
export const IN_PLACE_RESIZE = `${DEMO_IN_PLACE_RESIZE.namespace}/${DEMO_IN_PLACE_RESIZE.name}`;
const OOM_AFTER_S = DEMO_OOM_AFTER_MEMORY_CUT.afterMs / 1000;

/** What the person reads in the demo workspace. */
export const WORKSPACE_README = `# krr-mcp demo

This VS Code is connected to a demo cluster (context \`krr-mcp-demo\`): a Kubernetes API simulator and a real
Prometheus with ${DEMO_HISTORY_DAYS} days of history. Nothing you do here reaches a real cluster. This folder is the
shop's Git repository: its workloads as Kustomize overlays (\`gitops/\`), plain YAML (\`manifests/\`) and a Helm
chart (\`charts/fluent-bit\`).

Try:

1. Open the **krr-mcp** view in the activity bar and run **Scan** (or \`krr-mcp: Scan Cluster\` from the
   command palette). \`prod/checkout-api\` asks for far more than it uses; \`prod/payments-worker\` far less;
   \`prod/storefront\` is scaled by an HPA on CPU, so only its memory gets a recommendation.
2. Open \`manifests/prod/payments-worker.yaml\`: a CodeLens above \`resources:\` shows the recommendation, the
   Problems view lists it, and the Quick Fix (Ctrl+.) writes it into the file, comments kept.
3. Run **krr-mcp: Apply Recommendations to Workspace Manifests**: one refactor preview for every file, including
   the Kustomize layer that sets each value (a new patch for staging, whose base prod shares) and the Helm
   chart's \`values.yaml\`. Nothing is saved until you accept it; the Source Control view shows the diff.
4. \`prod/checkout-api\` is synced by Argo CD: **Apply Recommendations…** on it warns that a live change would be
   reverted at the next sync. For the others, the approval panel shows the cluster, every change, the risk and
   the cost; nothing changes until you click Approve. **Rollback…** undoes it.
5. Ask an agent (Copilot agent mode): "Scan my cluster with krr-mcp and right-size prod/checkout-api". Its
   \`plan_manifest_changes\` returns the edits for the files; its \`apply_recommendations\` waits for your click.

After the click: the cluster runs Kubernetes ${DEMO_KUBERNETES_VERSION} with its controllers and kubelets in real
time, and every apply is verified for ${DEMO_VERIFICATION_MINUTES} minutes (\`krrMcp.verificationMinutes\`; 10 outside the demo).

6. **A verification that finds trouble.** Run **Apply Recommendations…** on \`${OOM_AFTER_MEMORY_CUT}\` and approve.
   krr cuts its memory limit from 2Gi to about 340Mi, but it loads its product catalogue ~${OOM_AFTER_S} s after
   each start and then needs up to 512Mi, which the ${DEMO_HISTORY_DAYS} days of history never saw (its pod ran since
   before them). Its new pod is OOMKilled and crash-loops: watch the workload's verification badge in the
   krr-mcp view; when the window ends, a notification says **degraded**, with the evidence (OOMKilled,
   CrashLoopBackOff) and **Roll Back…**.
7. **An in-place resize.** Run **Apply Recommendations…** on \`${IN_PLACE_RESIZE}\`: krr raises its
   memory (512Mi → about 650Mi) and it stays Burstable, so the approval panel lists its running pod and offers
   **Approve and resize running pods**. Choose it: the pod keeps its name, uid and restart count and runs with
   the new values, without a restart or a rollout. Plain **Approve** would roll out a new pod instead.
`;

/** What the terminal says about the cluster's behaviour after an approval (the README says more). */
export function afterTheClickGuide(): string[] {
  return [
    `After the click (Kubernetes ${DEMO_KUBERNETES_VERSION}, controllers in real time, verification for ${DEMO_VERIFICATION_MINUTES} minutes):`,
    `  - apply ${OOM_AFTER_MEMORY_CUT}'s recommendation: its memory cut gets it OOMKilled ~${OOM_AFTER_S} s after each start;`,
    '    watch its verification badge in the krr-mcp view, then the notification: degraded, with Roll Back….',
    `  - approve ${IN_PLACE_RESIZE} with "Approve and resize running pods": its running pod gets the new`,
    '    memory in place (same name, uid and restart count; no rollout).',
  ];
}
