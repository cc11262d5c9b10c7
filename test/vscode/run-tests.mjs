// Runs test/vscode/suite in a real VS Code (Electron) extension host with @vscode/test-electron:
// `npm run test:vscode` (builds first). Not part of `npm test`: it needs VS Code, downloaded from
// update.code.visualstudio.com into .vscode-test/ unless KRR_VSCODE_EXECUTABLE names an installed one.
//
//   KRR_VSCODE_EXECUTABLE  a VS Code executable to use instead of downloading one
//   KRR_VSCODE_VERSION     the version to download ('stable', 'insiders', '1.101.0'…); default: the newest
//                          that satisfies engines.vscode
//   KRR_TEST_KUBECONFIG    a real cluster's kubeconfig to run against, instead of the one written here
//
// The suite is bundled with esbuild to .vscode-test/suite/index.cjs (CommonJS, `vscode` external) and runs
// with its own small harness (suite/harness.ts). VS Code starts with a temporary user data directory,
// extensions directory and workspace, other extensions disabled, and KUBECONFIG pointing at the
// kubeconfig the runner writes (nothing in the suite contacts its API server). On Linux without a
// display, an Xvfb found on PATH is started for the run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';

const root = fileURLToPath(new URL('../..', import.meta.url));
const suiteDir = join(root, 'test', 'vscode', 'suite');
const bundle = join(root, '.vscode-test', 'suite', 'index.cjs');

/** A failure with a message for the person; printed without a stack trace. */
class RunnerError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

const cleanups = [];

async function main() {
  if (!existsSync(join(root, 'dist', 'extension.cjs'))) {
    throw new RunnerError(
      'dist/extension.cjs is missing: run `npm run build` first (npm run test:vscode does).',
    );
  }
  const vscodeExecutablePath = await resolveVSCode();
  await bundleSuite();

  const scratch = mkdtempSync(join(tmpdir(), 'krr-mcp-vscode-test-'));
  cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
  const userDataDir = join(scratch, 'user-data');
  const extensionsDir = join(scratch, 'extensions');
  const workspace = join(scratch, 'workspace');
  const stateDir = join(scratch, 'krr-mcp-state');
  for (const dir of [join(userDataDir, 'User'), extensionsDir, workspace])
    mkdirSync(dir, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# krr-mcp extension-host test workspace\n');
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
      'workbench.startupEditor': 'none',
      // The tests look at the MCP provider's registration; VS Code need not start the server.
      'chat.mcp.autostart': 'never',
    }),
  );
  const kube = await kubeconfigFor(scratch);
  const display = await ensureDisplay();

  console.log(`test:vscode: VS Code ${vscodeExecutablePath}`);
  console.log(`test:vscode: kubeconfig ${kube.path} (context ${kube.context}, ${kube.server})`);
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: root,
      extensionTestsPath: bundle,
      launchArgs: [
        workspace,
        `--user-data-dir=${userDataDir}`,
        `--extensions-dir=${extensionsDir}`,
        '--disable-extensions',
      ],
      extensionTestsEnv: {
        KUBECONFIG: kube.path,
        KRR_MCP_STATE_DIR: stateDir,
        KRR_VSCODE_TEST_CONTEXT: kube.context,
        KRR_VSCODE_TEST_SERVER: kube.server,
        // Set inside a VS Code terminal, this would start VS Code as plain Node.
        ELECTRON_RUN_AS_NODE: undefined,
        ...(display ? { DISPLAY: display } : {}),
      },
    });
  } catch (error) {
    if (error instanceof TestRunFailedError) {
      throw new RunnerError(
        `the extension-host tests failed (VS Code exited with ${error.signal ?? `code ${error.code}`}; the output above says why).`,
      );
    }
    throw error;
  }
  return 0;
}

/** An installed VS Code, or one downloaded (or found in .vscode-test/); fails fast without a network. */
async function resolveVSCode() {
  const installed = process.env.KRR_VSCODE_EXECUTABLE;
  if (installed) {
    if (!existsSync(installed)) throw new RunnerError(`KRR_VSCODE_EXECUTABLE=${installed} does not exist.`);
    return installed;
  }
  const reporter = quietReporter();
  try {
    return await downloadAndUnzipVSCode({
      ...(process.env.KRR_VSCODE_VERSION ? { version: process.env.KRR_VSCODE_VERSION } : {}),
      extensionDevelopmentPath: root,
      cachePath: join(root, '.vscode-test'),
      reporter,
      timeout: 15_000,
    });
  } catch (error) {
    const cause = reporter.lastError ?? error;
    throw new RunnerError(
      [
        `cannot get VS Code to run the extension-host tests: ${describe(cause)}`,
        '  VS Code is downloaded from https://update.code.visualstudio.com into .vscode-test/; this machine',
        '  seems unable to reach it. Run on a machine with internet access, or set KRR_VSCODE_EXECUTABLE to',
        '  an installed VS Code executable (a desktop build; code-server cannot host these tests).',
      ].join('\n'),
      2,
    );
  }
}

/** Progress in a few lines, and errors kept for the message instead of printed with their stacks. */
function quietReporter() {
  let announcedDownload = false;
  const reporter = {
    lastError: undefined,
    report(report) {
      switch (report.stage) {
        case 'resolvedVersion':
          console.log(`test:vscode: VS Code version ${report.version}`);
          break;
        case 'foundMatchingInstall':
          console.log(`test:vscode: using ${report.downloadedPath}`);
          break;
        case 'downloading':
          if (!announcedDownload) console.log(`test:vscode: downloading ${report.url}`);
          announcedDownload = true;
          break;
        case 'retrying':
          reporter.lastError = report.error;
          console.log(
            `test:vscode: download failed (${describe(report.error)}), retry ${report.attempt} of ${report.totalAttempts}`,
          );
          break;
        case 'newInstallComplete':
          console.log(`test:vscode: installed in ${report.downloadedPath}`);
          break;
      }
    },
    error(error) {
      reporter.lastError = error;
    },
  };
  return reporter;
}

/** Every *.test.ts in the suite folder plus its index, as one CommonJS file for the extension host. */
async function bundleSuite() {
  const testFiles = readdirSync(suiteDir)
    .filter((name) => name.endsWith('.test.ts'))
    .sort();
  if (testFiles.length === 0) throw new RunnerError(`no *.test.ts files in ${suiteDir}`);
  await esbuild.build({
    stdin: {
      contents: [...testFiles.map((name) => `import './${name}';`), "export { run } from './index.ts';"].join(
        '\n',
      ),
      resolveDir: suiteDir,
      sourcefile: 'suite-entry.ts',
      loader: 'ts',
    },
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

/** KRR_TEST_KUBECONFIG as given, or a kubeconfig written here whose API server is never contacted. */
async function kubeconfigFor(scratch) {
  const given = process.env.KRR_TEST_KUBECONFIG;
  if (given) {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const config = new KubeConfig();
    const files = given.split(delimiter).filter((p) => p.length > 0);
    if (files.length !== 1 || !existsSync(files[0])) {
      throw new RunnerError(`KRR_TEST_KUBECONFIG=${given} must name one existing kubeconfig file.`);
    }
    try {
      config.loadFromFile(files[0]);
    } catch (error) {
      throw new RunnerError(`cannot read KRR_TEST_KUBECONFIG=${given}: ${describe(error)}`);
    }
    const context = config.getCurrentContext();
    const server = config.getCurrentCluster()?.server;
    if (!context || !server)
      throw new RunnerError(`KRR_TEST_KUBECONFIG=${given} has no usable current-context.`);
    return { path: files[0], context, server };
  }
  const path = join(scratch, 'kubeconfig.yaml');
  const context = 'krr-vscode-test';
  const server = 'https://127.0.0.1:6443';
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters: [{ name: krr-vscode-test, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: krr-vscode-test, user: { token: not-a-real-token } }]
contexts: [{ name: ${context}, context: { cluster: krr-vscode-test, user: krr-vscode-test, namespace: default } }]
current-context: ${context}
`,
    { mode: 0o600 },
  );
  return { path, context, server };
}

/** The display VS Code should use: the current one, or an Xvfb started here on Linux. */
async function ensureDisplay() {
  if (process.platform !== 'linux' || process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined;
  const xvfb = (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'Xvfb'))
    .find((candidate) => existsSync(candidate));
  if (!xvfb) {
    console.warn(
      'test:vscode: no DISPLAY and no Xvfb on PATH; VS Code may fail to start (try `xvfb-run -a npm run test:vscode`).',
    );
    return undefined;
  }
  let number = 99;
  while (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) number++;
  const server = spawn(xvfb, [`:${number}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  const stop = () => {
    if (server.exitCode === null && server.pid) process.kill(server.pid, 'SIGTERM');
  };
  cleanups.push(stop);
  process.on('exit', stop);
  const deadline = Date.now() + 5_000;
  while (!existsSync(`/tmp/.X11-unix/X${number}`)) {
    if (server.exitCode !== null || Date.now() > deadline) {
      throw new RunnerError(`Xvfb did not start on :${number} (${xvfb}).`);
    }
    await sleep(100);
  }
  console.log(`test:vscode: started Xvfb on :${number}`);
  return `:${number}`;
}

function describe(error) {
  if (error instanceof Error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    return `${error.message}${code && !error.message.includes(String(code)) ? ` (${code})` : ''}`;
  }
  return String(error);
}

async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // Best effort: a temp directory left behind must not hide the result.
    }
  }
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error) => {
    await cleanUp();
    if (error instanceof RunnerError) {
      console.error(`test:vscode: ${error.message}`);
      process.exit(error.exitCode);
    }
    console.error('test:vscode: unexpected failure:', error);
    process.exit(1);
  });
