import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { parse as parseYaml } from 'yaml';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { connectMcpServer, engineServerEnv } from '../../support/mcp-stdio-client.js';

// plan_manifest_changes through the real SDK client, with the client's workspace as its MCP root: the diff
// it returns, applied with git, gives the container exactly the resources the live change (preview_changes,
// the API server's own dry-run) would give it.

let env: EngineEnvironment;
let client: Client;
let workspace: string;

type ToolResult = { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: unknown };
const call = async (name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as ToolResult;
const text = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');

// The engine test cluster's workloads as a team would keep them in Git.
const FIXTURE = fileURLToPath(new URL('../../fixtures/engine-cluster-manifests', import.meta.url));
const WEB_MANIFEST = readFileSync(join(FIXTURE, 'apps', 'web.yaml'), 'utf8');

before(async () => {
  env = await startEngineEnvironment();
  workspace = join(env.dir, 'workspace');
  cpSync(FIXTURE, workspace, { recursive: true });
  ({ client } = await connectMcpServer(engineServerEnv(env), { roots: [workspace] }));
});

after(async () => {
  await client?.close();
  await env?.stop();
});

describe('plan_manifest_changes', () => {
  const id = 'engine-test/shop/Deployment/web/app';

  test('the manifest edit and the live patch give the container identical resources', async () => {
    const scan = await call('scan_recommendations', { namespace: 'shop', limit: 500 });
    assert.equal(scan.isError, undefined, text(scan));

    const planned = await call('plan_manifest_changes', { recommendation_ids: [id] });
    assert.equal(planned.isError, undefined, text(planned));
    const result = planned.structuredContent as {
      files: Array<{ path: string; created: boolean; diff: string }>;
      containers: Array<{ status: string; defined_at: { path: string; line: number } | null }>;
    };
    assert.deepEqual(
      result.containers.map((c) => [c.status, c.defined_at?.path, c.defined_at?.line]),
      [['edited', 'apps/web.yaml', 14]],
    );
    assert.equal(result.files.length, 1);
    assert.match(result.files[0]!.diff, /^--- a\/apps\/web\.yaml\n\+\+\+ b\/apps\/web\.yaml\n/);
    assert.equal(readFileSync(join(workspace, 'apps', 'web.yaml'), 'utf8'), WEB_MANIFEST, 'nothing written');

    const applied = spawnSync('git', ['apply', '-p1', '-'], {
      cwd: workspace,
      input: result.files[0]!.diff,
      encoding: 'utf8',
    });
    assert.equal(applied.status, 0, applied.stderr);
    const edited = readFileSync(join(workspace, 'apps', 'web.yaml'), 'utf8');
    assert.match(edited, /^# The storefront's web tier\.\n/, 'comments kept');
    assert.match(edited, /requests: \{ cpu: 50m, memory: 64Mi \}/, 'the other container untouched');
    const containers = (
      parseYaml(edited) as {
        spec: { template: { spec: { containers: Array<{ name: string; resources: unknown }> } } };
      }
    ).spec.template.spec.containers;
    const fileResources = containers.find((c) => c.name === 'app')!.resources;

    const preview = await call('preview_changes', { recommendation_ids: [id] });
    assert.equal(preview.isError, undefined, text(preview));
    const live = (
      preview.structuredContent as {
        workloads: Array<{ containers: Array<{ container: string; after: unknown }> }>;
      }
    ).workloads[0]!.containers.find((c) => c.container === 'app')!.after;
    assert.deepEqual(fileResources, live);
    // krr's simple strategy: CPU request p95, no CPU limit, memory request = limit = peak + 15 %.
    assert.deepEqual(live, { requests: { cpu: '400m', memory: '692Mi' }, limits: { memory: '692Mi' } });

    // Planned again over the edited file: nothing left to change.
    const again = (await call('plan_manifest_changes', { recommendation_ids: [id] })).structuredContent as {
      files: unknown[];
      containers: Array<{ status: string }>;
    };
    assert.deepEqual(again.files, []);
    assert.equal(again.containers[0]!.status, 'unchanged');
  });

  test("paths outside the client's workspace roots are refused, naming the parameter", async () => {
    for (const path of ['/etc', '../..', join(env.dir, 'kubeconfig')]) {
      const refused = await call('plan_manifest_changes', { recommendation_ids: [id], paths: [path] });
      assert.equal(refused.isError, true, path);
      assert.match(text(refused), /^paths: .* is outside the workspace \(roots: /);
    }
  });

  test('an unknown id and a workload no file defines are reported, not guessed', async () => {
    const result = (
      await call('plan_manifest_changes', {
        recommendation_ids: [
          'engine-test/shop/Deployment/nope/app',
          'engine-test/shop/StatefulSet/postgres/postgres',
        ],
      })
    ).structuredContent as {
      skipped: Array<{ id: string; reason: string }>;
      containers: Array<{ name: string; status: string; reason: string }>;
      files: unknown[];
    };
    assert.deepEqual(
      result.skipped.map((s) => s.id),
      ['engine-test/shop/Deployment/nope/app'],
    );
    assert.deepEqual(
      result.containers.map((c) => [c.name, c.status]),
      [['postgres', 'not-found']],
    );
    assert.deepEqual(result.files, []);
  });
});
