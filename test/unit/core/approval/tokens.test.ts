import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApprovalTokens,
  tokenExpiry,
  type RedeemResult,
  type TokenBinding,
} from '../../../../src/core/approval/tokens.js';

const binding = (): TokenBinding => ({
  planId: 'plan-1',
  planHash: 'a'.repeat(64),
  server: 'https://10.0.0.1:6443',
  context: 'prod',
  objects: [
    { kind: 'Deployment', namespace: 'shop', name: 'api', uid: 'uid-1', resourceVersion: '100' },
    { kind: 'StatefulSet', namespace: 'shop', name: 'db', uid: 'uid-2', resourceVersion: '200' },
  ],
});

function reason(result: RedeemResult): string {
  return result.ok ? 'ok' : result.reason;
}

/** Rewrites one field of the decoded token and encodes it again, as a tamperer would. */
function tamper(token: string, edit: (parts: string[]) => void): string {
  const parts = Buffer.from(token, 'base64url').toString('utf8').split('.');
  edit(parts);
  return Buffer.from(parts.join('.'), 'utf8').toString('base64url');
}

test('a minted token redeems once for the same binding', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  assert.deepEqual(tokens.redeem(token, binding()), { ok: true });
  const again = tokens.redeem(token, binding());
  assert.equal(reason(again), 'replayed');
  assert.match(again.ok ? '' : again.message, /once/);
});

test('the token is opaque base64url of v1.<planId>.<expiry>.<nonce>.<mac>', () => {
  const now = 1_700_000_000_000;
  const tokens = new ApprovalTokens(() => now);
  const token = tokens.mint(binding(), 60);
  assert.match(token, /^[A-Za-z0-9_-]+$/);
  const parts = Buffer.from(token, 'base64url').toString('utf8').split('.');
  assert.equal(parts.length, 5);
  assert.deepEqual(parts.slice(0, 3), ['v1', 'plan-1', String(now / 1000 + 60)]);
  assert.equal(tokenExpiry(token), now / 1000 + 60);
  assert.match(parts[3] ?? '', /^[0-9a-f]{32}$/);
  assert.match(parts[4] ?? '', /^[0-9a-f]{64}$/);
});

test('the order of objects in the binding does not matter', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  const reordered = binding();
  reordered.objects.reverse();
  assert.deepEqual(tokens.redeem(token, reordered), { ok: true });
});

test('exactly one of 20 concurrent redemptions succeeds', async () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  const results = await Promise.all(
    Array.from({ length: 20 }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return tokens.redeem(token, binding());
    }),
  );
  assert.equal(results.filter((r) => r.ok).length, 1);
  assert.deepEqual(
    results.filter((r) => !r.ok).map(reason),
    Array.from({ length: 19 }, () => 'replayed'),
  );
});

test('a token from another authority (another key) is forged', () => {
  const other = new ApprovalTokens();
  const token = other.mint(binding());
  assert.equal(reason(new ApprovalTokens().redeem(token, binding())), 'forged');
});

test('a changed MAC is forged', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  const forged = tamper(token, (p) => (p[4] = (p[4] ?? '').replace(/^./, (c) => (c === '0' ? '1' : '0'))));
  assert.equal(reason(tokens.redeem(forged, binding())), 'forged');
  // The genuine token is still good: a forgery attempt does not burn it.
  assert.equal(reason(tokens.redeem(token, binding())), 'ok');
});

test('a tampered plan id or expiry is forged', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  const otherPlan = tamper(token, (p) => (p[1] = 'plan-2'));
  const later = tamper(token, (p) => (p[2] = String(Number(p[2]) + 3600)));
  assert.equal(reason(tokens.redeem(otherPlan, { ...binding(), planId: 'plan-2' })), 'forged');
  assert.equal(reason(tokens.redeem(later, binding())), 'forged');
});

test('a token expires at its TTL (injected clock)', () => {
  let now = 1_700_000_000_000;
  const tokens = new ApprovalTokens(() => now);
  const first = tokens.mint(binding(), 300);
  const second = tokens.mint(binding(), 300);
  now += 299_000;
  assert.equal(reason(tokens.redeem(first, binding())), 'ok');
  now += 1_000;
  const expired = tokens.redeem(second, binding());
  assert.equal(reason(expired), 'expired');
  assert.match(expired.ok ? '' : expired.message, /request_confirmation again/);
});

test('redeem takes the current time from its argument when given', () => {
  const now = 1_700_000_000_000;
  const tokens = new ApprovalTokens(() => now);
  const token = tokens.mint(binding(), 300);
  const other = tokens.mint(binding(), 300);
  assert.equal(reason(tokens.redeem(token, binding(), now + 1_000)), 'ok');
  assert.equal(reason(tokens.redeem(other, binding(), now + 300_000)), 'expired');
});

test('an expired token stays expired after the authority forgot it', () => {
  let now = 1_700_000_000_000;
  const tokens = new ApprovalTokens(() => now);
  const token = tokens.mint(binding(), 10);
  now += 3_600_000;
  tokens.mint(binding(), 10); // prunes
  assert.equal(reason(tokens.redeem(token, binding())), 'expired');
});

test('the default TTL is 300 seconds and TTLs are bounded', () => {
  const now = 1_700_000_000_000;
  const tokens = new ApprovalTokens(() => now);
  assert.equal(tokenExpiry(tokens.mint(binding())), now / 1000 + 300);
  assert.throws(() => tokens.mint(binding(), 0), RangeError);
  assert.throws(() => tokens.mint(binding(), 86_400), RangeError);
  assert.throws(() => tokens.mint({ ...binding(), planId: '' }), RangeError);
});

test('a different plan hash is wrong-plan, and the token stays usable for the approved plan', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  const wrong = tokens.redeem(token, { ...binding(), planHash: 'b'.repeat(64) });
  assert.equal(reason(wrong), 'wrong-plan');
  assert.match(wrong.ok ? '' : wrong.message, /request_confirmation/);
  assert.equal(reason(tokens.redeem(token, binding())), 'ok');
});

test('a token presented for another plan id is wrong-plan', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  assert.equal(reason(tokens.redeem(token, { ...binding(), planId: 'plan-9' })), 'wrong-plan');
});

test('another server or context is wrong-cluster', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  assert.equal(
    reason(tokens.redeem(token, { ...binding(), server: 'https://10.0.0.2:6443' })),
    'wrong-cluster',
  );
  assert.equal(reason(tokens.redeem(token, { ...binding(), context: 'staging' })), 'wrong-cluster');
});

test('a changed resourceVersion, uid or object set is stale-objects', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  const bumped = binding();
  bumped.objects[0]!.resourceVersion = '101';
  const recreated = binding();
  recreated.objects[1]!.uid = 'uid-3';
  const fewer = { ...binding(), objects: binding().objects.slice(0, 1) };
  for (const expected of [bumped, recreated, fewer]) {
    const result = tokens.redeem(token, expected);
    assert.equal(reason(result), 'stale-objects');
    assert.match(result.ok ? '' : result.message, /preview_changes/);
  }
});

test('garbage is malformed, never a crash', () => {
  const tokens = new ApprovalTokens();
  const token = tokens.mint(binding());
  const garbage: unknown[] = [
    '',
    'not a token',
    '!!!!',
    'A'.repeat(10_000_000),
    Buffer.from('v1.plan.1.2').toString('base64url'),
    Buffer.from(`v2.plan-1.9999999999.${'0'.repeat(32)}.${'0'.repeat(64)}`).toString('base64url'),
    Buffer.from(`v1.plan-1.-5.${'0'.repeat(32)}.${'0'.repeat(64)}`).toString('base64url'),
    Buffer.from(`v1.plan-1.9999999999.${'0'.repeat(31)}.${'0'.repeat(64)}`).toString('base64url'),
    Buffer.from(`v1..9999999999.${'0'.repeat(32)}.${'0'.repeat(64)}`).toString('base64url'),
    token.slice(0, -10),
    `${token}.`,
    null,
    undefined,
    42,
    { token },
  ];
  for (const g of garbage)
    assert.equal(reason(tokens.redeem(g, binding())), 'malformed', String(g).slice(0, 40));
  assert.equal(reason(tokens.redeem(token, binding())), 'ok');
});

test('a well-formed token this authority never minted is forged', () => {
  const tokens = new ApprovalTokens();
  const made = Buffer.from(`v1.plan-1.9999999999.${'1'.repeat(32)}.${'2'.repeat(64)}`).toString('base64url');
  assert.equal(reason(tokens.redeem(made, binding())), 'forged');
});

test('plan ids with dots round-trip', () => {
  const tokens = new ApprovalTokens();
  const dotted = { ...binding(), planId: 'ctx.ns.plan.7' };
  const token = tokens.mint(dotted);
  assert.equal(reason(tokens.redeem(token, dotted)), 'ok');
});

test('each failure message tells the agent what to do next', () => {
  const tokens = new ApprovalTokens();
  const result = tokens.redeem('x', binding());
  assert.ok(!result.ok);
  assert.match(result.message, /request_confirmation/);
});
