import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEMO_HISTORY_DAYS } from '../../demo/demo-cluster.js';
import { openEditor, type RunningEditor } from '../../demo/demo-editor.js';
import { startDemoEnvironment, type DemoEnvironment } from '../../demo/demo-environment.js';
import {
  afterTheClickGuide,
  IN_PLACE_RESIZE,
  OOM_AFTER_MEMORY_CUT,
  WORKSPACE_README,
} from '../../demo/demo-guide.js';
import { DEMO_KUBERNETES_VERSION, DEMO_VERIFICATION_MINUTES } from '../../demo/demo-simulator.js';
import type { BackfillProgress } from '../../demo/prometheus/prometheus-process.js';
import { millions, ProgressDisplay, type ProgressUpdate } from '../progress-display.js';
import { createEditorProfile } from '../../demo/editor-profile.js';
import {
  findEditor,
  findExtensionRoot,
  findOnPath,
  requirePrometheus,
  type EditorChoice,
  type EditorCommand,
} from '../../demo/prerequisites.js';
import { helpText, numberFlag, parseFlags, stringFlag, type FlagTable } from '../flags.js';
import { FORMATS, type OutputFormat } from '../formatters/formatters.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';
import { runScan } from './scan.js';

export const DEMO_USAGE = 'krr-mcp demo [--no-editor] [flags]';

const DEMO_FLAGS: FlagTable = {
  'no-editor': {
    type: 'boolean',
    help: 'scan the demo cluster, print the recommendations and stop (no VS Code)',
    group: 'Options',
  },
  formatter: {
    type: 'string',
    short: 'f',
    value: 'FORMAT',
    help: `with --no-editor: ${FORMATS.join(', ')} (default table)`,
    group: 'Options',
  },
  editor: {
    type: 'string',
    value: 'WHICH',
    help: 'auto (default: desktop VS Code when installed and a display is available, else code-server), code or code-server',
    group: 'Options',
  },
  port: {
    type: 'string',
    value: 'PORT',
    help: 'code-server port on 127.0.0.1 (default: a free port)',
    group: 'Options',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help', group: 'Options' },
};

const DESCRIPTION = `Starts a demo cluster and opens VS Code on it with the extension installed.

The demo cluster is a Kubernetes API simulator serving a small shop (a web tier with an HPA, a Postgres
StatefulSet, DaemonSets, CronJobs, prod and staging namespaces, over- and under-provisioned containers, one
OOMKilled) and a real Prometheus holding its last ${DEMO_HISTORY_DAYS} days of history. The simulated cluster runs
Kubernetes ${DEMO_KUBERNETES_VERSION} with its controllers and kubelets in real time: an apply rolls pods over, ${OOM_AFTER_MEMORY_CUT}
is OOMKilled after its memory cut (the verification reports it degraded), and ${IN_PLACE_RESIZE} can be
resized in place ("Approve and resize running pods"). The demo writes its own kubeconfig, audit log and state in
a temporary directory; your kubeconfig and your VS Code are not touched.
Ctrl-C stops everything the demo started and removes the directory.

Needs: prometheus and promtool on PATH; for the editor, VS Code (\`code\`) or code-server.`;

export function demoHelp(): string {
  return helpText(DEMO_USAGE, DESCRIPTION, DEMO_FLAGS);
}

/** The workspace as a Git repository with one commit, so that the Source Control view shows what changes. */
function commitWorkspace(workspace: string, env: NodeJS.ProcessEnv): void {
  const git = findOnPath('git', env);
  if (!git) return;
  const run = (...args: string[]) =>
    spawnSync(git, args, {
      cwd: workspace,
      stdio: 'ignore',
      env: {
        ...env,
        GIT_AUTHOR_NAME: 'krr-mcp demo',
        GIT_AUTHOR_EMAIL: 'demo@krr-mcp.invalid',
        GIT_COMMITTER_NAME: 'krr-mcp demo',
        GIT_COMMITTER_EMAIL: 'demo@krr-mcp.invalid',
      },
    });
  if (run('init', '-q').status !== 0) return;
  run('add', '-A');
  run('commit', '-q', '-m', 'The shop as deployed');
}

/** Resolves with the first SIGINT/SIGTERM; a second one while stopping exits at once. */
function stopSignal(io: CliIo): { requested: Promise<NodeJS.Signals>; dispose(): void } {
  let resolveStop: (signal: NodeJS.Signals) => void = () => {};
  const requested = new Promise<NodeJS.Signals>((resolve) => (resolveStop = resolve));
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) {
      io.stderr.write('Stopping now.\n');
      process.exit(130);
    }
    received = true;
    resolveStop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested,
    dispose() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

function openBrowser(url: string, env: NodeJS.ProcessEnv): void {
  const opener =
    process.platform === 'darwin'
      ? 'open'
      : env.DISPLAY || env.WAYLAND_DISPLAY
        ? findOnPath('xdg-open', env)
        : undefined;
  if (!opener) return;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

/** The first start's long wait, as the person sees it. */
function backfillUpdate(p: BackfillProgress): ProgressUpdate {
  if (p.phase === 'generating')
    return {
      step: 'Writing the history (first start this hour)',
      fraction: p.totalSamples > 0 ? p.samples / p.totalSamples : 0,
      detail: `${millions(p.samples)} of ${millions(p.totalSamples)} samples`,
    };
  return {
    step: 'Backfilling it into Prometheus with promtool',
    // promtool reports nothing until it is done: the time so far, and what to expect (measured on 2 cores).
    detail: `${Math.round(p.elapsedMs / 1000)} s so far; ${millions(p.samples)} samples take ~30 s on 2 cores`,
  };
}

/** `krr-mcp demo`: returns the exit code. */
export async function runDemo(argv: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseFlags(argv, DEMO_FLAGS);
  if (flags.help) {
    io.stdout.write(demoHelp());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`);
  const withEditor = !flags['no-editor'];
  const format = (stringFlag(flags, 'formatter') ?? 'table') as OutputFormat;
  if (!FORMATS.includes(format))
    throw new UsageError(`Unknown format "${format}". Use one of: ${FORMATS.join(', ')}.`);
  if (withEditor && stringFlag(flags, 'formatter') !== undefined)
    throw new UsageError('--formatter applies with --no-editor only.');
  const choice = (stringFlag(flags, 'editor') ?? 'auto') as EditorChoice;
  if (!['auto', 'code', 'code-server'].includes(choice))
    throw new UsageError(`Unknown editor "${choice}". Use auto, code or code-server.`);
  const port = numberFlag(flags, 'port') ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('Invalid value for --port: a port number from 1 to 65535.');

  // Every prerequisite is checked before anything starts.
  requirePrometheus(io.env);
  let editor: EditorCommand | undefined;
  let extensionRoot: string | undefined;
  if (withEditor) {
    editor = findEditor(choice, io.env);
    // Through npm's bin symlink to the package's dist/cli.cjs, whose package holds the extension.
    extensionRoot = findExtensionRoot(dirname(realpathSync(process.argv[1] ?? process.cwd())));
  }

  const dir = mkdtempSync(join(tmpdir(), 'krr-mcp-demo-'));
  const stop = stopSignal(io);
  let environment: DemoEnvironment | undefined;
  let running: RunningEditor | undefined;
  const cleanup = async (): Promise<void> => {
    await running?.stop();
    await environment?.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    stop.dispose();
  };
  const unlessInterrupted = <T>(work: Promise<T>): Promise<T | 'interrupted'> =>
    Promise.race([work, stop.requested.then(() => 'interrupted' as const)]);

  try {
    const display = new ProgressDisplay(io);
    const aborted = new AbortController();
    void stop.requested.then(() => aborted.abort(new Error('interrupted')));
    const started = await unlessInterrupted(
      startDemoEnvironment({
        dir,
        onProgress: (line) => {
          display.done();
          io.stderr.write(`${line}\n`);
        },
        onBackfill: (p) => display.update(backfillUpdate(p)),
        signal: aborted.signal,
      }).finally(() => display.done()),
    );
    if (started === 'interrupted') {
      io.stderr.write('Stopped before the demo cluster was ready.\n');
      await cleanup();
      // Whatever is still starting (promtool, Prometheus) is killed by the exit hooks.
      process.exit(130);
    }
    environment = started;

    if (!withEditor) {
      // The report is a page to open, not text for the terminal: it is written where the demo's cleanup
      // leaves it, and its path is printed.
      const report =
        format === 'html'
          ? join(mkdtempSync(join(tmpdir(), 'krr-mcp-report-')), 'krr-mcp-demo.html')
          : undefined;
      const code = await runScan(
        [
          'simple',
          '-f',
          format,
          '-p',
          environment.prometheusUrl,
          ...(report ? ['--fileoutput', report] : []),
        ],
        { ...io, env: { ...io.env, KUBECONFIG: environment.kubeconfig } },
      );
      if (report && code === 0) io.stdout.write(`${report}\n`);
      return code;
    }

    const profile = createEditorProfile({
      dir: join(dir, 'editor'),
      extensionRoot: extensionRoot!,
      settings: {
        'krrMcp.prometheusUrl': environment.prometheusUrl,
        'krrMcp.verificationMinutes': DEMO_VERIFICATION_MINUTES,
        'workbench.startupEditor': 'readme',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
      },
      workspaceFiles: { 'README.md': WORKSPACE_README, ...environment.manifests },
    });
    commitWorkspace(profile.workspace, io.env);
    const editorEnv = {
      KUBECONFIG: environment.kubeconfig,
      KRR_MCP_STATE_DIR: environment.stateDir,
      KRR_MCP_AUDIT_LOG: join(environment.stateDir, 'audit.jsonl'),
    };
    io.stderr.write(`Opening ${editor!.kind === 'code' ? 'VS Code' : 'code-server'}…\n`);
    running = await openEditor({ editor: editor!, profile, env: editorEnv, port, dir });

    const lines = ['', 'The krr-mcp demo is running.'];
    if (running.url) {
      lines.push(`  VS Code:     ${running.url}`, `  password:    ${running.password}`);
      openBrowser(running.url, io.env);
    } else {
      lines.push('  VS Code:     a new window (closing it ends the demo)');
    }
    lines.push(
      `  context:     ${environment.context} (kubeconfig ${environment.kubeconfig})`,
      `  Prometheus:  ${environment.prometheusUrl}`,
      '',
      ...afterTheClickGuide(),
      '',
      'An MCP client outside the editor (a terminal agent) joins with this environment; its approvals appear in',
      'the VS Code above:',
      // The editor's audit log too: get_verification and get_execution_history read what the editor wrote.
      `  KUBECONFIG=${environment.kubeconfig} PROMETHEUS_URL=${environment.prometheusUrl} \\`,
      `  KRR_MCP_STATE_DIR=${environment.stateDir} KRR_MCP_AUDIT_LOG=${editorEnv.KRR_MCP_AUDIT_LOG} \\`,
      `  ${process.execPath} ${realpathSync(process.argv[1] ?? '')} serve`,
      '',
      'Ctrl-C stops the demo.',
      '',
    );
    io.stdout.write(lines.join('\n'));
    const ended = await Promise.race([stop.requested, running.exited.then(() => 'editor' as const)]);
    io.stderr.write(
      ended === 'editor' ? 'The editor closed; stopping the demo…\n' : '\nStopping the demo…\n',
    );
    return 0;
  } finally {
    await cleanup();
  }
}
