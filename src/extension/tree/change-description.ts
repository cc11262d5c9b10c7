import type { RecommendationItem } from '../../core/recommend/recommendation-items.js';

/** A quantity as people read it in the tree: null means the field is not set on the container. */
export function quantityText(quantity: string | null): string {
  return quantity ?? 'unset';
}

/** "cpu 500m→250m · mem 1Gi→600Mi": requests, because they drive scheduling and cost. */
export function requestChange(item: RecommendationItem): string {
  const cpu = `${quantityText(item.current.requests.cpu)}→${quantityText(item.recommended.requests.cpu)}`;
  const memory = `${quantityText(item.current.requests.memory)}→${quantityText(item.recommended.requests.memory)}`;
  return `cpu ${cpu} · mem ${memory}`;
}

/** "saves $12.30/mo", or "costs $4.00/mo more" when the recommendation raises requests. */
export function savingsText(monthlyUsd: number): string | undefined {
  if (monthlyUsd === 0) return undefined;
  const amount = `$${Math.abs(monthlyUsd).toFixed(2)}/mo`;
  return monthlyUsd > 0 ? `saves ${amount}` : `costs ${amount} more`;
}
