import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH } from '../../support/cli/run-cli.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';
import { SIMPLE } from '../engine/expectations.js';

// The built server over stdio, driven by the real MCP SDK client and by the MCP Inspector CLI, against
// the real Prometheus and the Kubernetes API simulator. No approval surface is connected here.

let env: EngineEnvironment;
let client: Client;
let stderr = '';

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
const call = async (name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as ToolResult;
const text = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');

function serverEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: env.dir,
    KUBECONFIG: env.kubeconfig,
    PROMETHEUS_URL: env.prometheus.url,
    LOG_LEVEL: 'info',
  };
}

before(async () => {
  env = await startEngineEnvironment();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'serve'],
    env: serverEnv(),
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (c: Buffer) => (stderr += c));
  client = new Client({ name: 'krr-mcp-test', version: '1.0.0' });
  await client.connect(transport);
});

after(async () => {
  await client?.close();
  await env?.stop();
});

describe('tools', () => {
  test('lists every tool with schemas, output schemas and the right annotations', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of [
      'scan_recommendations',
      'request_confirmation',
      'apply_recommendations',
      'rollback_changes',
      'get_tool_versions',
      'health_check',
      'generate_documentation',
    ]) {
      const tool = byName.get(name);
      assert.ok(tool, `${name} missing`);
      assert.equal(tool.inputSchema.type, 'object');
      assert.ok(tool.outputSchema, `${name} has no output schema`);
      assert.ok((tool.description ?? '').length > 40);
    }
    for (const name of [
      'scan_recommendations',
      'get_tool_versions',
      'health_check',
      'generate_documentation',
    ]) {
      assert.equal(byName.get(name)!.annotations?.readOnlyHint, true, name);
    }
    for (const name of ['apply_recommendations', 'rollback_changes']) {
      assert.equal(byName.get(name)!.annotations?.destructiveHint, true, name);
      assert.equal(byName.get(name)!.annotations?.readOnlyHint, false, name);
    }
    assert.deepEqual(
      Object.keys(byName.get('scan_recommendations')!.inputSchema.properties ?? {}).slice(0, 3),
      ['namespace', 'strategy', 'resource_filter'],
    );
    assert.ok('confirmation_token' in (byName.get('apply_recommendations')!.inputSchema.properties ?? {}));
    assert.ok('dry_run' in (byName.get('apply_recommendations')!.inputSchema.properties ?? {}));
    assert.ok('rollback_id' in (byName.get('rollback_changes')!.inputSchema.properties ?? {}));
  });
});

describe('scan_recommendations', () => {
  test('returns krr numbers with stable ids, most impactful first, paginated, then from the cache', async () => {
    const first = await call('scan_recommendations', { limit: 5 });
    assert.equal(first.isError, undefined, text(first));
    const page = first.structuredContent as {
      total: number;
      items: Array<{
        id: string;
        severity: string;
        recommended: { requests: { cpu: string; memory: string } };
      }>;
      next_offset: number | null;
      from_cache: boolean;
      context: string;
    };
    assert.equal(page.total, Object.keys(SIMPLE).length);
    assert.equal(page.items.length, 5);
    assert.equal(page.next_offset, 5);
    assert.equal(page.context, 'engine-test');
    assert.equal(page.from_cache, false);
    const order = ['CRITICAL', 'WARNING', 'OK', 'GOOD', 'UNKNOWN'];
    for (let i = 1; i < page.items.length; i++)
      assert.ok(order.indexOf(page.items[i - 1]!.severity) <= order.indexOf(page.items[i]!.severity));

    const all = (await call('scan_recommendations', { limit: 500 })).structuredContent as typeof page;
    assert.equal(all.from_cache, true);
    const web = all.items.find((i) => i.id === 'engine-test/shop/Deployment/web/app');
    assert.ok(web);
    assert.deepEqual(web.recommended.requests, { cpu: '400m', memory: '692Mi' });
    const postgres = all.items.find((i) => i.id === 'engine-test/shop/StatefulSet/postgres/postgres')!;
    assert.deepEqual(postgres.recommended.requests, { cpu: '150m', memory: '1727Mi' });

    const refreshed = (await call('scan_recommendations', { limit: 1, refresh: true }))
      .structuredContent as typeof page;
    assert.equal(refreshed.from_cache, false);
  });

  test('namespace, resource_filter, strategy and settings are honoured', async () => {
    const result = (
      await call('scan_recommendations', {
        namespace: 'monitoring',
        strategy: 'simple_limit',
        settings: { history_duration: 72 },
      })
    ).structuredContent as {
      items: Array<{ id: string; recommended: { requests: { cpu: string }; limits: { cpu: string } } }>;
    };
    assert.deepEqual(
      result.items.map((i) => i.id),
      ['engine-test/monitoring/DaemonSet/log-agent/agent'],
    );
    assert.deepEqual(
      [result.items[0]!.recommended.requests.cpu, result.items[0]!.recommended.limits.cpu],
      ['30m', '50m'],
    );
    const cron = (await call('scan_recommendations', { namespace: ['batch'], resource_filter: ['CronJob'] }))
      .structuredContent as { items: Array<{ id: string; info: { cpu: string } }> };
    assert.deepEqual(
      cron.items.map((i) => [i.id, i.info.cpu]),
      [['engine-test/batch/CronJob/nightly-report/report', 'Not enough data']],
    );
  });

  test('bad input is answered with isError and a message an agent can act on', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ namespace: 42 }, /namespace/],
      [{ strategy: 'fancy' }, /strategy/],
      [{ resource_filter: ['Pod'] }, /resource_filter/],
      [{ limit: 0 }, /limit/],
      [{ unknown_argument: true }, /unknown_argument|Unrecognized/i],
      [{ namespace: Array.from({ length: 10_000 }, (_, i) => `ns-${i}`) }, /maximum|too big|elements/i],
      [{ strategy: 'simple', settings: { cpu_request: 50 } }, /cpu_request/],
      [{ settings: { cpu_percentile: 0 } }, /cpu_percentile/],
      [{ namespace: 'empty' }, /No workloads to scan in namespace\(s\) empty/],
    ];
    for (const [args, message] of cases) {
      const result = await call('scan_recommendations', args);
      assert.equal(result.isError, true, `${JSON.stringify(args).slice(0, 80)} should fail`);
      assert.match(text(result), message);
      assert.doesNotMatch(text(result), /\n\s+at /, 'no stack traces');
    }
  });
});

describe('without an approval surface', () => {
  test('request_confirmation, apply_recommendations and rollback_changes refuse and say how to get one', async () => {
    for (const [name, args] of [
      ['request_confirmation', { plan_id: 'p-1' }],
      ['apply_recommendations', { confirmation_token: 'forged-token' }],
      ['rollback_changes', { rollback_id: 'r-1' }],
    ] as const) {
      const result = await call(name, args);
      assert.equal(result.isError, true, name);
      assert.match(text(result), /No approval surface is connected.*click Approve.*VS Code/s);
    }
    const health = (await call('health_check')).structuredContent as {
      healthy: boolean;
      approval: { ok: boolean };
      kubernetes: { ok: boolean; detail: string };
      prometheus: { ok: boolean };
    };
    assert.equal(health.healthy, true);
    assert.equal(health.approval.ok, false);
    assert.match(health.kubernetes.detail, /Kubernetes v/);
  });
});

describe('reports', () => {
  test('get_tool_versions reports the server, SDK, protocol, Node, Kubernetes and Prometheus', async () => {
    const versions = (await call('get_tool_versions')).structuredContent as Record<string, unknown> & {
      kubernetes: { version: string };
      prometheus: { version: string };
    };
    assert.match(String(versions.server), /^\d+\.\d+\.\d+/);
    assert.match(String(versions.mcp_sdk), /^1\.\d+\.\d+$/);
    assert.match(String(versions.mcp_protocol), /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(versions.node, process.version.replace(/.*/, versions.node as string));
    assert.match(versions.kubernetes.version, /^v1\./);
    assert.match(versions.prometheus.version, /^2\./);
    assert.equal(versions.krr_cli, null);
  });

  test('generate_documentation renders every live tool schema as Markdown and JSON, writing nothing', async () => {
    const markdown = (await call('generate_documentation')).structuredContent as { document: string };
    for (const name of ['scan_recommendations', 'apply_recommendations', 'generate_documentation'])
      assert.match(markdown.document, new RegExp(`## \`${name}\``));
    assert.match(markdown.document, /\| `confirmation_token` \| string \| yes \|/);
    const json = (await call('generate_documentation', { format: 'json' })).structuredContent as {
      document: string;
    };
    const tools = JSON.parse(json.document) as Array<{
      name: string;
      inputSchema: { properties: Record<string, unknown> };
    }>;
    const { tools: listed } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), listed.map((t) => t.name).sort());
  });
});

describe('logging', () => {
  test('logs are JSON lines on stderr and never carry secrets', () => {
    const lines = stderr.trim().split('\n').filter(Boolean);
    assert.ok(lines.length > 3);
    for (const line of lines) {
      const record = JSON.parse(line) as { level: string; message: string };
      assert.ok(['debug', 'info', 'warn', 'error'].includes(record.level));
    }
    assert.match(stderr, /"message":"tool call"/);
    assert.doesNotMatch(stderr, /engine-test-token/);
  });
});

describe('a client we did not write: the MCP Inspector CLI', () => {
  const inspector = fileURLToPath(new URL('../../../node_modules/.bin/mcp-inspector', import.meta.url));
  const run = (...args: string[]) =>
    promisify(execFile)(inspector, ['--cli', process.execPath, CLI_PATH, 'serve', ...args], {
      env: { ...serverEnv(), npm_config_loglevel: 'error' },
      timeout: 120_000,
      maxBuffer: 32 * 1024 * 1024,
    });

  test('lists the tools', async () => {
    const { stdout } = await run('--method', 'tools/list');
    const names = (JSON.parse(stdout) as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
    assert.ok(names.includes('scan_recommendations'));
    assert.ok(names.includes('apply_recommendations'));
  });

  test('calls scan_recommendations', async () => {
    const { stdout } = await run(
      '--method',
      'tools/call',
      '--tool-name',
      'scan_recommendations',
      '--tool-arg',
      'namespace=monitoring',
    );
    const result = JSON.parse(stdout) as {
      structuredContent?: { items: Array<{ id: string }> };
      isError?: boolean;
    };
    assert.notEqual(result.isError, true, stdout);
    assert.deepEqual(
      result.structuredContent?.items.map((i) => i.id),
      ['engine-test/monitoring/DaemonSet/log-agent/agent'],
    );
  });
});
