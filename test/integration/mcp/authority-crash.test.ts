import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI_PATH } from '../../support/cli/run-cli.js';
import { startEngineEnvironment, type EngineEnvironment } from '../../support/engine-environment.js';

// The authority is killed (SIGKILL) in the middle of an apply. Started again on the same directories,
// it reports the interrupted apply, and its rollback restores what had already been changed.

const HOST = fileURLToPath(new URL('../../support/authority-host.ts', import.meta.url));

interface Host {
  process: ChildProcessWithoutNullStreams;
  secrets: Array<{ secret: string; ipcPath: string }>;
  nextRequest(): Promise<{ planId: string; summary: string }>;
  decide(planId: string, decision: 'approved' | 'rejected'): void;
}

let env: EngineEnvironment;
let dir: string;
const hosts: Host[] = [];
const clients: Client[] = [];

async function startHost(): Promise<Host> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', HOST, '--kubeconfig', env.kubeconfig, '--dir', dir],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const requests: Array<{ planId: string; summary: string }> = [];
  const waiters: Array<(r: { planId: string; summary: string }) => void> = [];
  let ready: (secrets: Host['secrets']) => void;
  const readyPromise = new Promise<Host['secrets']>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as {
      type: string;
      secrets?: Host['secrets'];
      planId?: string;
      summary?: string;
    };
    if (message.type === 'ready') ready(message.secrets!);
    if (message.type === 'request') {
      const request = { planId: message.planId!, summary: message.summary! };
      const waiter = waiters.shift();
      if (waiter) waiter(request);
      else requests.push(request);
    }
  });
  const host: Host = {
    process: child,
    secrets: await readyPromise,
    nextRequest: () => {
      const queued = requests.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
    },
    decide: (planId, decision) => child.stdin.write(`${JSON.stringify({ planId, decision })}\n`),
  };
  hosts.push(host);
  return host;
}

async function connect(host: Host): Promise<Client> {
  const { secret, ipcPath } = host.secrets.shift()!;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_PATH, 'serve'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      KUBECONFIG: env.kubeconfig,
      PROMETHEUS_URL: env.prometheus.url,
      KRR_MCP_AUDIT_LOG: join(dir, 'audit.jsonl'),
      KRR_MCP_STATE_DIR: join(dir, 'state'),
      KRR_MCP_IPC_PATH: ipcPath,
      KRR_MCP_IPC_SECRET: secret,
    },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'crash-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

type Result = {
  isError?: boolean;
  content: Array<{ text?: string }>;
  structuredContent?: Record<string, unknown>;
};
const callOn = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as Result;

function cpuRequest(name: string): string | undefined {
  const object = env.kube.store.get('Deployment', 'shop', name) as unknown as {
    spec: {
      template: {
        spec: { containers: Array<{ name: string; resources?: { requests?: { cpu?: string } } }> };
      };
    };
  };
  return object.spec.template.spec.containers.find((c) => c.name === 'app')?.resources?.requests?.cpu;
}

before(async () => {
  env = await startEngineEnvironment();
  dir = join(env.dir, 'authority');
  mkdirSync(dir, { recursive: true });
});

after(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  for (const host of hosts) if (host.process.exitCode === null) host.process.kill('SIGKILL');
  await env?.stop();
});

test('an apply interrupted by a crash is reported on restart and can be rolled back', async () => {
  const first = await startHost();
  const client = await connect(first);
  const before = { 'api.v2': cpuRequest('api.v2'), apixv2: cpuRequest('apixv2') };
  const plan = (
    await callOn(client, 'preview_changes', {
      changes: ['api.v2', 'apixv2'].map((name) => ({
        kind: 'Deployment',
        namespace: 'shop',
        name,
        containers: [{ container: 'app', requests: { cpu: '180m' } }],
      })),
    })
  ).structuredContent as { plan_id: string };
  const confirming = callOn(client, 'request_confirmation', { plan_id: plan.plan_id });
  first.decide((await first.nextRequest()).planId, 'approved');
  const token = ((await confirming).structuredContent as { confirmation_token: string }).confirmation_token;

  // The second object's write never answers: the authority is killed while it waits.
  env.kube.faults.add({ method: 'PATCH', path: /\/deployments\/apixv2$/, hang: true });
  const applying = callOn(client, 'apply_recommendations', { confirmation_token: token });
  const patched = async () => {
    for (let i = 0; i < 200; i++) {
      if (
        env.kube.requests.some(
          (r) =>
            r.method === 'PATCH' && r.path.endsWith('/deployments/apixv2') && !String(r.query?.dryRun ?? ''),
        )
      )
        return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the second PATCH never arrived');
  };
  await patched();
  first.process.kill('SIGKILL');
  const interrupted = await applying;
  assert.equal(interrupted.isError, true, 'the agent learns that the outcome is unknown');
  env.kube.faults.clear();
  assert.equal(cpuRequest('api.v2'), '180m', 'the first object was changed before the crash');

  const second = await startHost();
  const again = await connect(second);
  const health = (await callOn(again, 'health_check')).structuredContent as {
    incomplete_applies: Array<{
      rollback_id: string;
      objects: Array<{ target: string; state: string }>;
      next_step: string;
    }>;
  };
  assert.equal(health.incomplete_applies.length, 1);
  const [incomplete] = health.incomplete_applies;
  assert.deepEqual(
    incomplete!.objects.map((o) => [o.target, o.state]),
    [
      ['Deployment shop/api.v2', 'applied'],
      ['Deployment shop/apixv2', 'pending'],
    ],
  );
  assert.match(incomplete!.next_step, /rollback_changes/);

  const rollback = callOn(again, 'rollback_changes', { rollback_id: incomplete!.rollback_id });
  second.decide((await second.nextRequest()).planId, 'approved');
  const rollbackToken = ((await rollback).structuredContent as { confirmation_token: string })
    .confirmation_token;
  const restored = (
    await callOn(again, 'rollback_changes', {
      rollback_id: incomplete!.rollback_id,
      confirmation_token: rollbackToken,
    })
  ).structuredContent as { status: string };
  assert.equal(restored.status, 'applied');
  assert.deepEqual({ 'api.v2': cpuRequest('api.v2'), apixv2: cpuRequest('apixv2') }, before);
});
