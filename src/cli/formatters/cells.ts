import type { RecommendationValue, ResourceName, ResourceScan } from '../../core/recommend/model.js';
import { formatQuantity } from './resource-units.js';

// The cell texts krr's table and CSV formatters print (robusta_krr/formatters/csv.py, table.py).

function signed(value: number): string {
  const text = formatQuantity(Math.abs(value));
  return value < 0 ? `-${text}` : `+${text}`;
}

function numeric(value: RecommendationValue): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** `(±diff) current -> recommended` for requests, `current -> recommended` for limits. */
export function valueCell(scan: ResourceScan, which: 'requests' | 'limits', resource: ResourceName): string {
  const current = scan.object.allocations[which][resource];
  const recommended = scan.recommended[which][resource].value;
  if (current === null && recommended === null) return 'unset';
  const text = `${formatQuantity(current)} -> ${formatQuantity(recommended)}`;
  if (which === 'limits') return text;
  const r = numeric(recommended);
  if (r === undefined) return text;
  const diff = r - (numeric(current) ?? 0);
  return diff === 0 ? text : `(${signed(diff)}) ${text}`;
}

/** krr's "Diff" column: (recommended − current request) × running pods. */
export function diffCell(scan: ResourceScan, resource: ResourceName): string {
  const r = numeric(scan.recommended.requests[resource].value);
  if (r === undefined) return '';
  const running = scan.object.pods.filter((p) => !p.deleted).length;
  const diff = (r - (numeric(scan.object.allocations.requests[resource]) ?? 0)) * running;
  return diff === 0 ? '' : signed(diff);
}
