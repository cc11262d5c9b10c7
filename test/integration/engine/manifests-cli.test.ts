import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../support/cli/run-cli.js';
import {
  engineScanArgs,
  startEngineEnvironment,
  type EngineEnvironment,
} from '../../support/engine-environment.js';

// `krr-mcp manifests` on the JSON our scan prints (krr's schema), over a workspace that keeps some of the
// engine test cluster's workloads in Git: a plain Deployment and an Argo Rollout in a Kustomize base.

const FIXTURE = fileURLToPath(new URL('../../fixtures/engine-cluster-manifests', import.meta.url));
let env: EngineEnvironment;
let recommendations: string;

const WEB_DIFF = `--- a/apps/web.yaml
+++ b/apps/web.yaml
@@ -13,11 +13,12 @@
           image: web:1.4.2
           resources:
             requests:
-              cpu: 500m # sized for the launch
-              memory: 512Mi
+              cpu: 400m # sized for the launch
+              memory: 692Mi
             limits:
-              cpu: "1"
-              memory: 512Mi
+              memory: 692Mi
         - name: sidecar
           resources:
-            requests: { cpu: 50m, memory: 64Mi }
+            requests: { cpu: 10m, memory: 100Mi }
+            limits:
+              memory: 100Mi
`;

function workspace(name: string): string {
  const dir = join(env.dir, name);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

before(async () => {
  env = await startEngineEnvironment();
  recommendations = join(env.dir, 'recommendations.json');
  const scan = await runCli(engineScanArgs(env, '-n', 'shop', '-f', 'json', '--fileoutput', recommendations));
  assert.equal(scan.code, 0, scan.stderr);
});
after(async () => {
  await env?.stop();
});

describe('krr-mcp manifests', () => {
  test('without --write: the diff on stdout, paths relative to the current folder, files untouched', async () => {
    const dir = workspace('diff');
    const run = await runCli(['manifests', 'apps', '--recommendations', recommendations], {}, 60_000, dir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, WEB_DIFF);
    assert.equal(
      readFileSync(join(dir, 'apps/web.yaml'), 'utf8'),
      readFileSync(join(FIXTURE, 'apps/web.yaml'), 'utf8'),
    );
    assert.match(
      run.stderr,
      /^edited: Deployment shop\/web container app \(4 fields\) in apps\/web\.yaml:14$/m,
    );
    assert.match(
      run.stderr,
      /^edited: Deployment shop\/web container sidecar \(3 fields\) in apps\/web\.yaml:22$/m,
    );
    // Every other shop workload of the scan is defined nowhere in apps/: counted on one line.
    assert.match(
      run.stderr,
      /^not found in these files: \d+ container\(s\): .*Deployment shop\/checkout app/m,
    );
  });

  test('--write: the same edits in place, a Kustomize base used by one overlay edited there; a second run changes nothing', async () => {
    const dir = workspace('write');
    const run = await runCli(['manifests', '--recommendations', recommendations, '--write'], {}, 60_000, dir);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /Wrote 2 files: apps\/web\.yaml, kustomize\/base\/canary\.yaml/);
    assert.equal(
      readFileSync(join(dir, 'kustomize/base/canary.yaml'), 'utf8'),
      readFileSync(join(FIXTURE, 'kustomize/base/canary.yaml'), 'utf8')
        .replace('cpu: 100m', 'cpu: 250m')
        .replace('memory: 128Mi', 'memory: 296Mi\n            limits:\n              memory: 296Mi'),
    );
    const again = await runCli(
      ['manifests', '--recommendations', recommendations, '--write'],
      {},
      60_000,
      dir,
    );
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /^unchanged: Deployment shop\/web container app/m);
    assert.match(again.stderr, /Nothing to write\./);
  });

  test("--recommendations - reads stdin; without it, the command scans first with scan's flags", async () => {
    const dir = workspace('scan');
    const scanned = await runCli(
      [
        'manifests',
        'apps',
        '--kubeconfig',
        env.kubeconfig,
        '-p',
        env.prometheus.url,
        '--at',
        String(env.cluster.endTime),
        '-n',
        'shop',
      ],
      {},
      60_000,
      dir,
    );
    assert.equal(scanned.code, 0, scanned.stderr);
    assert.equal(scanned.stdout, WEB_DIFF);
    const piped = await runCli(
      ['manifests', 'apps', '--recommendations', '-'],
      {},
      60_000,
      dir,
      readFileSync(recommendations, 'utf8'),
    );
    assert.equal(piped.stdout, WEB_DIFF);
  });

  test('bad input: one line, exit 2, nothing written', async () => {
    const dir = workspace('bad');
    const garbage = join(env.dir, 'garbage.json');
    writeFileSync(garbage, '{"scans": 42}');
    for (const [args, message] of [
      [['--recommendations', '/nonexistent.json'], /cannot read \/nonexistent\.json \(no such file\)/],
      [['--recommendations', garbage], /is JSON but not krr's result \(scans: /],
      [
        ['nope', '--recommendations', recommendations],
        /no \*\.yaml or \*\.yml files under nope \(nope: does not exist\)/,
      ],
    ] as const) {
      const run = await runCli(['manifests', ...args, '--write'], {}, 60_000, dir);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    }
    assert.equal(
      readFileSync(join(dir, 'apps/web.yaml'), 'utf8'),
      readFileSync(join(FIXTURE, 'apps/web.yaml'), 'utf8'),
    );
  });
});
