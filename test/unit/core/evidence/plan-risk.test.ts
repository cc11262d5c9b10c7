import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedFields } from '../../../../src/core/changes/container-resources.js';
import { assessWorkloadRisk, type WorkloadRiskInput } from '../../../../src/core/changes/risk.js';
import { DEFAULT_SAFETY_RULES } from '../../../../src/core/changes/safety-rules.js';
import { riskSignals } from '../../../../src/core/evidence/risk-signals.js';

// A container already in trouble is a reason the person approving sees, at MEDIUM: it never blocks (the
// change may be the fix) and never hides (a cut may make it worse).

const current = { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '512Mi' } };
const desired = { requests: { cpu: '400m', memory: '512Mi' }, limits: { memory: '512Mi' } };

function input(signals?: ReturnType<typeof riskSignals>): WorkloadRiskInput {
  return {
    target: { kind: 'Deployment', namespace: 'shop', name: 'worker' },
    pods: 3,
    restartRequired: true,
    hpa: null,
    containers: [
      {
        container: 'app',
        current,
        desired,
        changes: changedFields(current, desired),
        ...(signals ? { signals } : {}),
      },
    ],
  };
}

const facts = { oomKills: [], throttledMax: 0.1, restarts: 0, hpaAtMax: false, historyHours: 336 };

test('an at-risk container adds one MEDIUM reason naming it and every signal', () => {
  const signals = riskSignals({ ...facts, throttledMax: 0.6, restarts: 4 });
  const risk = assessWorkloadRisk(input(signals), DEFAULT_SAFETY_RULES);
  const reasons = risk.reasons.filter((r) => r.text.startsWith('already at risk'));
  assert.deepEqual(reasons, [
    {
      level: 'MEDIUM',
      text: 'already at risk: app: CPU throttled in up to 60% of its CFS periods in the last 14 days (above 25%); restarted 4 times in the last 14 days',
    },
  ]);
  assert.equal(risk.level, 'MEDIUM');
  assert.deepEqual(risk.blocks, []);
});

test('no reason for a calm container, or when no signals were read', () => {
  for (const signals of [riskSignals(facts), undefined]) {
    const risk = assessWorkloadRisk(input(signals), DEFAULT_SAFETY_RULES);
    assert.equal(risk.level, 'LOW');
    assert.ok(!risk.reasons.some((r) => r.text.startsWith('already at risk')));
  }
});
