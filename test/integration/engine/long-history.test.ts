import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ResourceScan, ScanResult } from '../../../src/core/recommend/model.js';
import { runCli } from '../../support/cli/run-cli.js';
import {
  engineScanArgs,
  startEngineEnvironment,
  type EngineEnvironment,
} from '../../support/engine-environment.js';
import { connectMcpServer, engineServerEnv } from '../../support/mcp-stdio-client.js';
import { alignedEndTime, MiB } from '../../support/fixture/engine-test-cluster.js';
import { longHistoryCluster } from '../../support/fixture/long-history-cluster.js';

// krr's defaults (14 days at a 75 s step) and a 90-day history against the real Prometheus, which refuses
// any range query over 11,000 points per series. simple_limit reads CPU with a range query, so before
// chunking it failed at the defaults with "exceeded maximum resolution of 11,000 points per timeseries".

let env: EngineEnvironment;
before(async () => {
  env = await startEngineEnvironment(longHistoryCluster(alignedEndTime()));
});
after(async () => {
  await env?.stop();
});

async function scan(...extra: string[]): Promise<{ row: ResourceScan; queries: number }> {
  const run = await runCli(engineScanArgs(env, '-f', 'json', '-v', ...extra));
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout) as ScanResult;
  assert.equal(result.scans.length, 1);
  const queries = Number(/with (\d+) Prometheus queries/.exec(run.stderr)?.[1]);
  assert.ok(queries > 0, run.stderr);
  return { row: result.scans[0]!, queries };
}

const values = (row: ResourceScan) => {
  const r = row.recommended;
  return [r.requests.cpu.value, r.limits.cpu.value, r.requests.memory.value, r.limits.memory.value];
};

describe('histories longer than 11,000 steps', () => {
  let defaults: { row: ResourceScan; queries: number };
  before(async () => {
    defaults = await scan('simple_limit');
  });

  test("simple_limit at krr's defaults (336 h, 75 s): both chunks are read", () => {
    assert.equal(defaults.row.object.name, 'steady');
    // p66 200m needs the second chunk, p96 500m the first; 401 MiB × 1.15 = 461.15 → 462 MiB.
    assert.deepEqual(values(defaults.row), [0.2, 0.5, 462 * MiB, 462 * MiB]);
  });

  test('simple at the defaults gives the same memory and its per-pod p95', async () => {
    const { row } = await scan('simple');
    assert.deepEqual(values(row), [0.5, null, 462 * MiB, 462 * MiB]);
  });

  test('90 days (103,680 steps) in ten chunks: the 801 MiB peak of 60 days ago counts', async () => {
    const ninety = await scan('simple_limit', '--history-duration', '2160');
    // 100 high hours out of 2,160 (4.6 %) still reach p96; p66 stays at the base.
    assert.deepEqual(values(ninety.row), [0.2, 0.5, 922 * MiB, 922 * MiB]);
    assert.equal(ninety.queries - defaults.queries, 8, 'ten range requests instead of two');
  });

  test('the MCP tool scans simple_limit at its defaults', async () => {
    const { client } = await connectMcpServer(engineServerEnv(env));
    try {
      const result = await client.callTool({
        name: 'scan_recommendations',
        arguments: { strategy: 'simple_limit' },
      });
      assert.equal(result.isError, undefined, JSON.stringify(result.content));
      const items = (result.structuredContent as { items: Array<{ recommended: unknown }> }).items;
      assert.deepEqual(items[0]!.recommended, {
        requests: { cpu: '200m', memory: '462Mi' },
        limits: { cpu: '500m', memory: '462Mi' },
      });
    } finally {
      await client.close();
    }
  });
});
