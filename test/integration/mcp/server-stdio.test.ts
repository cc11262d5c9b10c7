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
    KRR_MCP_AUDIT_LOG: `${env.dir}/audit.jsonl`,
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
      // One error vocabulary: the agent is told about its own parameters, never the CLI's flags.
      [
        { namespace: 'empty' },
        /Check the namespace names \(namespace\) and filters \(resource_filter, selector\)/,
      ],
      [
        { namespace: '[bad' },
        /^Invalid value for namespace: "\[bad" is not a valid regular expression \(Unterminated character class\)/,
      ],
      [
        { settings: { history_duration: -5 } },
        /^Invalid value for settings\.history_duration: must be at least 1, got -5$/,
      ],
      [
        { selector: 'app in (' },
        /^Invalid value for selector: "app in \(" was refused by the Kubernetes API/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await call('scan_recommendations', args);
      assert.equal(result.isError, true, `${JSON.stringify(args).slice(0, 80)} should fail`);
      assert.match(text(result), message);
      assert.doesNotMatch(text(result), /\n\s+at /, 'no stack traces');
      assert.doesNotMatch(
        text(result),
        /Internal error|\(-[a-z]\)|--[a-z]/,
        'no CLI flags, no internal errors',
      );
    }
  });
});

describe('preview_changes', () => {
  type Plan = {
    plan_id: string;
    plan_hash: string;
    blocked: boolean;
    blocks: string[];
    risk: { level: string; reasons: Array<{ text: string }> };
    workloads: Array<{
      name: string;
      uid: string;
      resource_version: string;
      diff: string;
      dry_run: { ok: boolean };
      containers: Array<{
        container: string;
        source: string;
        after: { requests: Record<string, string>; limits: Record<string, string> };
        agent_supplied: string[];
      }>;
    }>;
    skipped: Array<{ id: string; reason: string }>;
    next_step: string;
  };

  test('builds a plan from recommendation ids: dry-run by the API server, diff, the cluster untouched', async () => {
    await call('scan_recommendations', { limit: 1 });
    const before = JSON.stringify(env.kube.store.get('Deployment', 'shop', 'web'));
    const result = await call('preview_changes', {
      recommendation_ids: [
        'engine-test/shop/Deployment/web/app',
        'engine-test/shop/Deployment/checkout/app',
        'engine-test/nope/Deployment/x/y',
      ],
    });
    assert.equal(result.isError, undefined, text(result));
    const plan = result.structuredContent as Plan;
    assert.match(plan.plan_hash, /^[0-9a-f]{64}$/);
    const web = plan.workloads.find((w) => w.name === 'web')!;
    assert.equal(web.dry_run.ok, true);
    assert.ok(web.uid.length > 0 && web.resource_version.length > 0);
    const app = web.containers.find((c) => c.container === 'app')!;
    assert.equal(app.source, 'recommendation');
    assert.deepEqual(app.after.requests, { cpu: '400m', memory: '692Mi' });
    assert.equal(app.after.limits.cpu, undefined, "krr's unset CPU limit removes the limit");
    assert.match(web.diff, /cpu/);
    assert.doesNotMatch(web.diff, /managedFields|resourceVersion/);
    assert.deepEqual(
      web.containers.map((c) => c.container),
      ['app'],
      'only the named container',
    );
    // checkout's CPU is "?" (HPA): only its memory is planned, the CPU skip is reported.
    assert.ok(plan.skipped.some((s) => s.id === 'engine-test/shop/Deployment/checkout/app'));
    assert.ok(
      plan.skipped.some((s) => s.id === 'engine-test/nope/Deployment/x/y' && /unknown id/.test(s.reason)),
    );
    assert.equal(
      JSON.stringify(env.kube.store.get('Deployment', 'shop', 'web')),
      before,
      'a preview writes nothing',
    );
    const report = (await call('get_safety_report', { plan_id: plan.plan_id })).structuredContent as {
      plan: { plan_id: string };
      rules: { max_change_percent: number };
    };
    assert.equal(report.plan.plan_id, plan.plan_id);
    assert.equal(report.rules.max_change_percent, 500);
  });

  test('agent-supplied values are marked; unsafe ones are blocked; bad ones are refused', async () => {
    const agent = (
      await call('preview_changes', {
        changes: [
          {
            kind: 'Deployment',
            namespace: 'shop',
            name: 'queue-consumer',
            containers: [{ container: 'app', requests: { cpu: '100m' } }],
          },
        ],
      })
    ).structuredContent as Plan;
    assert.deepEqual(agent.workloads[0]!.containers[0]!.agent_supplied, ['requests.cpu']);
    assert.equal(agent.workloads[0]!.containers[0]!.source, 'agent');

    const unsafe = (
      await call('preview_changes', {
        changes: [
          {
            kind: 'StatefulSet',
            namespace: 'shop',
            name: 'postgres',
            containers: [
              { container: 'postgres', requests: { memory: '512Mi' }, limits: { memory: '512Mi' } },
            ],
          },
        ],
      })
    ).structuredContent as Plan;
    assert.equal(unsafe.blocked, true, JSON.stringify(unsafe).slice(0, 3000));
    assert.ok(
      unsafe.blocks.some((b) => /peak/i.test(b)),
      unsafe.blocks.join('; '),
    );
    assert.match(unsafe.next_step, /blocked and cannot be approved/);

    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /recommendation_ids.*changes/],
      [
        {
          changes: [
            {
              kind: 'Deployment',
              namespace: 'shop',
              name: 'web',
              containers: [{ container: 'app', requests: { cpu: 'abc' } }],
            },
          ],
        },
        /"abc" is not a Kubernetes quantity/,
      ],
      [
        {
          changes: [
            {
              kind: 'Deployment',
              namespace: 'shop',
              name: 'web',
              containers: [{ container: 'app', requests: { memory: '-1' } }],
            },
          ],
        },
        /negative/,
      ],
      [
        {
          changes: [
            {
              kind: 'Deployment',
              namespace: 'shop',
              name: 'web',
              containers: [{ container: 'app', limits: { cpu: '1e309' } }],
            },
          ],
        },
        /too large/,
      ],
      [
        {
          changes: [
            {
              kind: 'Deployment',
              namespace: 'shop',
              name: 'web',
              containers: [{ container: 'ap', requests: { cpu: '1' } }],
            },
          ],
        },
        /ap/,
      ],
      [{ recommendation_ids: ['nothing/here'] }, /Nothing to preview.*unknown id/],
      [
        { recommendation_ids: Array.from({ length: 10_000 }, (_, i) => `id-${i}`) },
        /maximum|too big|elements/i,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await call('preview_changes', args);
      const failed =
        result.isError === true || (result.structuredContent as Plan | undefined)?.blocked === true;
      assert.ok(failed, `${JSON.stringify(args).slice(0, 100)} should fail`);
      const all = result.isError ? text(result) : (result.structuredContent as Plan).blocks.join(' ');
      assert.match(all, message);
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
  test('get_execution_history reads an empty or missing audit log as no records; bad filters are refused', async () => {
    const history = (await call('get_execution_history', { limit: 5 })).structuredContent as {
      records: unknown[];
      next_cursor: string | null;
    };
    assert.deepEqual(history, { records: [], next_cursor: null });
    const bad = await call('get_execution_history', {
      since: '2026-01-02T00:00:00Z',
      until: '2026-01-01T00:00:00Z',
    });
    assert.equal(bad.isError, true);
    assert.match(text(bad), /since must be before until/);
    assert.equal(
      (await call('get_execution_history', { operation_filter: ['delete_everything'] })).isError,
      true,
    );
  });

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
