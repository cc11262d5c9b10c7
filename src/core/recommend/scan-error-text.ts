import type { ScanError } from './model.js';

/** What a person reads for an entry of a scan's `errors` (every surface says it the same way). */
export function scanErrorText(error: ScanError): string {
  switch (error.name) {
    case 'NotEnoughHistoryAvailable':
      return `Prometheus holds less than 3 hours of history (enough after ${error.retry_after})`;
    case 'HistoryRangeError':
      return 'Could not determine how much history Prometheus holds';
    case 'ClusterScanError':
      return `Cluster "${error.cluster}" could not be scanned: ${error.message}`;
  }
}
