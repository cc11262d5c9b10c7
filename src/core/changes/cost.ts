// Monthly cost of a change in requests. Requests, not usage, are what a node (or Fargate) bills for.

/** Prices of requested resources; see DEFAULT_PRICES. */
export interface Prices {
  /** US dollars per vCPU (core) per hour of request. */
  cpuCoreHour: number;
  /** US dollars per GiB of memory per hour of request. */
  memoryGiBHour: number;
}

/**
 * AWS Fargate Linux/x86 on-demand prices in us-east-1 (aws.amazon.com/fargate/pricing): $0.031611 per
 * vCPU-hour and $0.004237 per GiB-hour. A neutral public price list; pass your own for your cluster.
 */
export const DEFAULT_PRICES: Prices = { cpuCoreHour: 0.031611, memoryGiBHour: 0.004237 };

/** Hours in an average month (8760 / 12), the figure cloud price lists use. */
export const HOURS_PER_MONTH = 730;

const GiB = 1024 ** 3;

export interface RequestDelta {
  /** New minus old CPU request, in cores (a field that is not set counts as 0). */
  cpuCores: number;
  /** New minus old memory request, in bytes. */
  memoryBytes: number;
}

/** Σ (Δcpu × cpu price + Δmemory GiB × memory price) × 730 h × replicas, in US dollars per month. */
export function monthlyCostDelta(deltas: RequestDelta[], replicas: number, prices: Prices): number {
  const perHour = deltas.reduce(
    (sum, d) => sum + d.cpuCores * prices.cpuCoreHour + (d.memoryBytes / GiB) * prices.memoryGiBHour,
    0,
  );
  const total = perHour * HOURS_PER_MONTH * replicas;
  return total === 0 ? 0 : total; // no "-0" in plans shown to people
}
