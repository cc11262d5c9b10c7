import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../src/core/canonical-json.js';

test('sorts keys at every depth and writes no whitespace', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x y' } }),
    '{"a":{"c":"x y","d":[3,{"y":null,"z":true}]},"b":1}',
  );
});

test('equal values give equal text whatever the insertion order', () => {
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
});

test('escapes strings as JSON does, so no raw newline can appear', () => {
  assert.equal(canonicalJson({ 'k\n': 'line\nbreak "q"' }), '{"k\\n":"line\\nbreak \\"q\\""}');
});

test('leaves out undefined properties', () => {
  assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}');
});

test('refuses values JSON would silently change', () => {
  for (const bad of [NaN, Infinity, [undefined], new Date(0), new Map(), () => 1, 1n, Symbol('s')]) {
    assert.throws(() => canonicalJson(bad), TypeError, String(bad as unknown as string));
  }
});

test('refuses cycles but accepts repeated (acyclic) references', () => {
  const shared = { x: 1 };
  assert.equal(canonicalJson([shared, shared]), '[{"x":1},{"x":1}]');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => canonicalJson(cyclic), /cycle/);
});

test('accepts objects without a prototype', () => {
  const bare = Object.create(null) as Record<string, unknown>;
  bare.b = 2;
  bare.a = 1;
  assert.equal(canonicalJson(bare), '{"a":1,"b":2}');
});
