import type { FieldChange } from '../../core/changes/container-resources.js';
import type { PlannedContainer } from './planned-recommendations.js';

// How a planned change reads in the editor. Everything here ends up in plain-text surfaces (CodeLens
// titles, diagnostic messages, code action titles), so cluster-supplied names need no escaping.

const ORDER = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** Requests first (they drive scheduling and cost), then limits. */
function ordered(changes: readonly FieldChange[]): FieldChange[] {
  return [...changes].sort(
    (a, b) => ORDER.indexOf(`${a.which}.${a.resource}`) - ORDER.indexOf(`${b.which}.${b.resource}`),
  );
}

const resourceName = (change: FieldChange) => (change.resource === 'cpu' ? 'CPU' : 'memory');

/** "cpu 250m → 120m", "CPU limit 1 → 500m", "remove CPU limit": one change as a lens says it. */
function lensPart(change: FieldChange): string {
  const kind = change.which === 'requests' ? 'request' : 'limit';
  if (change.to === undefined) return `remove ${resourceName(change)} ${kind}`;
  const name = change.which === 'requests' ? change.resource : `${resourceName(change)} limit`;
  return `${name} ${change.from ?? 'unset'} → ${change.to}`;
}

/** "saves $4.12/month", or "costs $4.12/month more" when the recommendation raises requests. */
export function monthlyText(usd: number): string | undefined {
  if (usd === 0) return undefined;
  const amount = `$${Math.abs(usd).toFixed(2)}/month`;
  return usd > 0 ? `saves ${amount}` : `costs ${amount} more`;
}

function workload(container: PlannedContainer): string {
  const { kind, namespace, name } = container.outcome;
  return `${kind} ${namespace}/${name}`;
}

/**
 * Whether a lens or an action must say which row it is: when several rows share one `resources:` (a
 * Kustomize base that overlays use), or when the change goes to another file (a new overlay patch),
 * the line alone does not tell.
 */
function namesRow(container: PlannedContainer, sharesLine: boolean): boolean {
  return sharesLine || container.writesTo !== undefined;
}

/**
 * "krr: cpu 250m → 120m · memory 512Mi → 300Mi · saves $4.12/month", or "krr for app of Deployment
 * staging/staging-web in overlays/staging/krr-resources-web.yaml: …" when the line does not say which.
 */
export function lensTitle(container: PlannedContainer, sharesLine: boolean): string {
  const parts = ordered(container.outcome.changes).map(lensPart);
  const money = monthlyText(container.item.monthly_savings_usd);
  if (money) parts.push(money);
  const who = namesRow(container, sharesLine)
    ? ` for ${container.outcome.container} of ${workload(container)}`
    : '';
  const where = container.writesTo ? ` in ${container.writesTo}` : '';
  return `krr${who}${where}: ${parts.join(' · ')}`;
}

/** "requests.cpu 500m → 120m", "limits.cpu 1 → removed". */
function fieldText(change: FieldChange): string {
  return `${change.which}.${change.resource} ${change.from ?? 'unset'} → ${change.to ?? 'removed'}`;
}

/** The Problems view line: severity, container, workload, and every field that changes. */
export function diagnosticMessage(container: PlannedContainer): string {
  const fields = ordered(container.outcome.changes).map(fieldText).join(', ');
  return `krr ${container.item.severity} for container ${container.outcome.container} of ${workload(container)}: ${fields}`;
}

export function fixTitle(container: PlannedContainer, sharesLine: boolean): string {
  const who = namesRow(container, sharesLine) ? ` (${workload(container)})` : '';
  return `Apply krr recommendation to ${container.outcome.container}${who}`;
}
