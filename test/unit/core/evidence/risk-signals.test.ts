import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  RESTART_THRESHOLD,
  riskSignals,
  riskSignalsView,
  RiskSignalsViewSchema,
  windowPhrase,
  workloadRiskSignals,
  type SignalFacts,
} from '../../../../src/core/evidence/risk-signals.js';
import { THROTTLING_THRESHOLD } from '../../../../src/core/evidence/usage-history-model.js';

const calm: SignalFacts = {
  oomKills: [],
  throttledMax: 0.1,
  restarts: 0,
  hpaAtMax: false,
  historyHours: 336,
};

test('a calm container is not at risk and has no reasons', () => {
  assert.deepEqual(riskSignals(calm), {
    atRisk: false,
    oomKilled: false,
    throttledMax: 0.1,
    restarts: 0,
    hpaAtMax: false,
    reasons: [],
  });
});

test('an OOM kill in the window puts it at risk, with the count and the last time', () => {
  // 2025-11-20 15:00 UTC and an earlier one.
  const signals = riskSignals({ ...calm, oomKills: [1763600000, 1763650800] });
  assert.equal(signals.atRisk, true);
  assert.equal(signals.oomKilled, true);
  assert.deepEqual(signals.reasons, [
    'OOM-killed 2 times in the last 14 days (last seen at 2025-11-20 15:00 UTC)',
  ]);
  assert.match(riskSignals({ ...calm, oomKills: [1763650800] }).reasons[0]!, /^OOM-killed once in/);
});

test('throttling counts above the threshold only, and unknown throttling is not a risk', () => {
  assert.equal(
    riskSignals({ ...calm, throttledMax: THROTTLING_THRESHOLD }).atRisk,
    false,
    'at the threshold',
  );
  const above = riskSignals({ ...calm, throttledMax: THROTTLING_THRESHOLD + 0.01 });
  assert.equal(above.atRisk, true);
  assert.deepEqual(above.reasons, [
    'CPU throttled in up to 26% of its CFS periods in the last 14 days (above 25%)',
  ]);
  const unknown = riskSignals({ ...calm, throttledMax: null });
  assert.equal(unknown.atRisk, false);
  assert.equal(unknown.throttledMax, null);
});

test(`restarts count from ${RESTART_THRESHOLD}; unknown restarts read as none`, () => {
  assert.equal(riskSignals({ ...calm, restarts: RESTART_THRESHOLD - 1 }).atRisk, false);
  const restarting = riskSignals({ ...calm, restarts: RESTART_THRESHOLD, historyHours: 24 });
  assert.equal(restarting.atRisk, true);
  assert.deepEqual(restarting.reasons, ['restarted 3 times in the last day']);
  assert.equal(riskSignals({ ...calm, restarts: null }).restarts, 0);
});

test('an HPA at its maximum puts the workload at risk, named when known', () => {
  const signals = riskSignals({ ...calm, hpaAtMax: true, hpaName: 'web-autoscaler', historyHours: 6 });
  assert.equal(signals.atRisk, true);
  assert.deepEqual(signals.reasons, [
    'its HorizontalPodAutoscaler web-autoscaler sat at its maximum replicas in the last 6 hours: it could not scale out further',
  ]);
});

test('every signal at once gives one reason each, in a stable order', () => {
  const signals = riskSignals({
    oomKills: [1763650800],
    throttledMax: 0.9,
    restarts: 5,
    hpaAtMax: true,
    historyHours: 336,
  });
  assert.equal(signals.reasons.length, 4);
  assert.deepEqual(
    signals.reasons.map((r) => r.split(' ')[0]),
    ['OOM-killed', 'CPU', 'restarted', 'its'],
  );
});

test('window phrases', () => {
  assert.equal(windowPhrase(336), '14 days');
  assert.equal(windowPhrase(24), 'day');
  assert.equal(windowPhrase(1), 'hour');
  assert.equal(windowPhrase(36), '36 hours');
  assert.equal(windowPhrase(1.25), '1.3 hours');
});

test("a workload's signals: any container at risk, reasons name the container, the HPA said once", () => {
  const app = riskSignals({ ...calm, throttledMax: 0.6, hpaAtMax: true, hpaName: 'web' });
  const sidecar = riskSignals({ ...calm, throttledMax: null, restarts: 4, hpaAtMax: true, hpaName: 'web' });
  const merged = workloadRiskSignals([
    ['app', app],
    ['sidecar', sidecar],
  ]);
  assert.equal(merged.atRisk, true);
  assert.equal(merged.throttledMax, 0.6);
  assert.equal(merged.restarts, 4);
  assert.equal(merged.hpaAtMax, true);
  assert.deepEqual(merged.reasons, [
    'app: CPU throttled in up to 60% of its CFS periods in the last 14 days (above 25%)',
    'sidecar: restarted 4 times in the last 14 days',
    'its HorizontalPodAutoscaler web sat at its maximum replicas in the last 14 days: it could not scale out further',
  ]);
  const quiet = workloadRiskSignals([['app', riskSignals({ ...calm, throttledMax: null })]]);
  assert.equal(quiet.atRisk, false);
  assert.equal(quiet.throttledMax, null);
});

test('the snake_case view passes its own schema and rounds the share', () => {
  const view = riskSignalsView(riskSignals({ ...calm, throttledMax: 0.61234 }));
  assert.deepEqual(view, {
    at_risk: true,
    reasons: ['CPU throttled in up to 61% of its CFS periods in the last 14 days (above 25%)'],
    oom_killed: false,
    throttled_max: 0.612,
    restarts: 0,
    hpa_at_max: false,
  });
  assert.deepEqual(RiskSignalsViewSchema.parse(view), view);
});
