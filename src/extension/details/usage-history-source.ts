import type { ContainerUsageHistory } from '../../core/evidence/usage-history-model.js';

/**
 * Where the details panel gets the usage behind recommendations: the extension's wiring provides it (the
 * core loader, with the person's Prometheus settings). `keys` are `namespace/kind/name/container`; a key
 * with no history is simply absent from the answer; `context` names the scan they come from. May reject: the
 * panel then says why.
 */
export interface UsageHistorySource {
  history(keys: string[], context: string): Promise<ContainerUsageHistory[]>;
}
