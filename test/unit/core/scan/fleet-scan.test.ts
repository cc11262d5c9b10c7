// Joining the scans of several clusters: rows in the clusters' order, krr's score over all of them, totals
// summed, and a cluster that failed as an entry in `errors` (the whole scan fails only when all did).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NEUTRAL_NAMES } from '../../../../src/core/input/parameters.js';
import type { ResourceScan, ScanResult, Severity } from '../../../../src/core/recommend/model.js';
import { fleetResult, FleetScanError, scanFleet } from '../../../../src/core/scan/fleet-scan.js';

const row = (cluster: string, severity: Severity): ResourceScan =>
  ({
    object: { cluster, name: 'web', namespace: 'shop', kind: 'Deployment', container: 'app' },
    severity,
  }) as ResourceScan;

const result = (cluster: string, severities: Severity[], cpu: number): ScanResult => ({
  scans: severities.map((s) => row(cluster, s)),
  score: 0,
  resources: ['cpu', 'memory'],
  description: 'simple',
  strategy: { name: 'simple', settings: {} },
  errors: cluster === 'east' ? [{ name: 'HistoryRangeError' }] : [],
  clusterSummary: { cluster_cpu: cpu },
  config: {},
});

test('the fleet: every row, the score over all, totals summed, failures in errors, in the order given', async () => {
  let inFlight = 0;
  let most = 0;
  const job = (context: string, outcome: () => ScanResult) => ({
    context,
    scan: async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { result: outcome() };
    },
  });
  const fleet = await scanFleet(
    [
      job('east', () => result('east', ['CRITICAL', 'GOOD'], 4)),
      job('down', () => {
        throw new Error('Cannot reach the Kubernetes API');
      }),
      job('west', () => result('west', ['GOOD', 'GOOD'], 2)),
    ],
    { concurrency: 2 },
  );
  assert.equal(most, 2, 'two clusters at a time');
  const joined = fleetResult(fleet, { clusters: ['east', 'down', 'west'] }, NEUTRAL_NAMES);
  assert.deepEqual(
    joined.scans.map((s) => s.object.cluster),
    ['east', 'east', 'west', 'west'],
  );
  assert.equal(joined.score, 75, 'one CRITICAL in four rows');
  assert.deepEqual(joined.clusterSummary, { cluster_cpu: 6 });
  assert.deepEqual(joined.errors, [
    { name: 'HistoryRangeError' },
    { name: 'ClusterScanError', cluster: 'down', message: 'Cannot reach the Kubernetes API' },
  ]);
});

test('no cluster scanned: one error that names each cluster and its reason', async () => {
  const fleet = await scanFleet([
    { context: 'a', scan: () => Promise.reject(new Error('refused')) },
    { context: 'b', scan: () => Promise.reject(new Error('timed out')) },
  ]);
  assert.throws(
    () => fleetResult(fleet, {}, NEUTRAL_NAMES),
    (error: Error) => error instanceof FleetScanError && /a: refused\n {2}b: timed out/.test(error.message),
  );
});
