import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuerySlots } from '../../../../src/core/prometheus/query-slots.js';

/** A query the test answers (or fails) by hand. */
function pendingQuery(name: string, started: string[]) {
  let settle!: { resolve: (v: string) => void; reject: (e: Error) => void };
  const answer = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  return {
    run: () => {
      started.push(name);
      return answer;
    },
    answer: () => settle.resolve(name),
    fail: () => settle.reject(new Error(`${name} failed`)),
  };
}

/** Lets every promise callback that is ready run. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

test('at most `limit` queries run at once; the others start in the order they were asked for', async () => {
  const slots = new QuerySlots(2);
  const started: string[] = [];
  const queries = ['a', 'b', 'c', 'd', 'e'].map((name) => pendingQuery(name, started));
  const results = queries.map((q) => slots.run(q.run));
  await settled();
  assert.deepEqual(started, ['a', 'b']);
  queries[1]!.answer();
  await settled();
  assert.deepEqual(started, ['a', 'b', 'c']);
  // A failed query gives its slot to the next one too.
  const failed = assert.rejects(results[0]!, /a failed/);
  queries[0]!.fail();
  await settled();
  assert.deepEqual(started, ['a', 'b', 'c', 'd']);
  await failed;
  for (const q of queries.slice(2)) q.answer();
  assert.deepEqual(await Promise.all(results.slice(1)), ['b', 'c', 'd', 'e']);
  // All slots are free again: two new queries start at once.
  const later = ['f', 'g'].map((name) => pendingQuery(name, started));
  const more = later.map((q) => slots.run(q.run));
  await settled();
  assert.deepEqual(started.slice(-2), ['f', 'g']);
  for (const q of later) q.answer();
  await Promise.all(more);
});

test('a limit below one is refused', () => {
  assert.throws(() => new QuerySlots(0), RangeError);
  assert.throws(() => new QuerySlots(1.5), RangeError);
});
