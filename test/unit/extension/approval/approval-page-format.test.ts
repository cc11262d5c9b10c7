import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines } from '../../../../webview/approval/diff-lines.js';
import {
  formatMonthlyCost,
  formatPercent,
  formatRemaining,
  riskClass,
} from '../../../../webview/shared/format.js';

test('diff lines are classed by their marker; file headers are not changes', () => {
  const diff = '--- live\n+++ dry-run\n@@ -1,2 +1,2 @@\n   cpu:\n-    500m\n+    250m\n';
  assert.deepEqual(
    diffLines(diff).map((l) => l.kind),
    ['header', 'header', 'hunk', 'context', 'removed', 'added'],
  );
});

test('percent and cost carry their sign', () => {
  assert.equal(formatPercent(-50), '\u221250%');
  assert.equal(formatPercent(12.5), '+12.5%');
  assert.equal(formatPercent(null), '');
  assert.equal(formatMonthlyCost(-12.5), '\u2212$12.50 / month (estimate)');
  assert.equal(formatMonthlyCost(3), '+$3.00 / month (estimate)');
  assert.equal(formatMonthlyCost(null), 'unknown');
});

test('the countdown shows minutes and seconds, and expired at the deadline', () => {
  assert.equal(formatRemaining(299_001), '5:00');
  assert.equal(formatRemaining(65_000), '1:05');
  assert.equal(formatRemaining(3_723_000), '1:02:03');
  assert.equal(formatRemaining(0), 'expired');
  assert.equal(formatRemaining(Number.NaN), 'expired');
});

test('risk classes come from a fixed list, never from the data', () => {
  assert.equal(riskClass('high'), 'risk-high');
  assert.equal(riskClass('CRITICAL'), 'risk-critical');
  assert.equal(riskClass('x" onclick="alert(1)'), 'risk-unknown');
});
