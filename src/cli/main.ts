import { realpathSync } from 'node:fs';
import { ExplainedError, InvalidInputError } from '../core/input/parameters.js';
import { PrometheusAccessError } from '../core/prometheus/access-from-env.js';
import { KrrBinaryError } from '../core/recommend/krr-binary.js';
import { MissingPrerequisiteError } from '../demo/prerequisites.js';
import { AUDIT_USAGE, runAudit } from './commands/audit.js';
import { DEMO_USAGE, runDemo } from './commands/demo.js';
import { StaleManifestError } from './commands/manifest-writes.js';
import { MANIFESTS_USAGE, runManifests } from './commands/manifests.js';
import { runScan, SCAN_USAGE } from './commands/scan.js';
import { runServe, SERVE_USAGE } from './commands/serve.js';
import { processIo, type CliIo } from './io.js';
import { OutputFileError } from './output-file.js';
import { CLI_PARAMETER_NAMES } from './parameter-names.js';
import { UsageError } from './usage-error.js';
import { VERSION } from './version.js';

const HELP = `krr-mcp ${VERSION}: krr-compatible Kubernetes right-sizing for people and AI agents

Usage:
  ${SCAN_USAGE}
  ${MANIFESTS_USAGE}
  ${SERVE_USAGE}
  ${AUDIT_USAGE}
  ${DEMO_USAGE}
  krr-mcp version
  krr-mcp help [command]

Commands:
  scan       compute recommendations (a drop-in for \`krr simple -f json\`)
  manifests  write recommendations into the manifests, Kustomize overlays and Helm values that define them
  serve      run the MCP server over stdio, for AI agents
  audit      verify the hash-chained audit log of applied changes
  demo       try it all on a demo cluster (an API simulator and a real Prometheus), in VS Code
  version    print the version

Run \`krr-mcp <command> --help\` for a command's flags.
`;

/**
 * Errors that are the user's or the environment's, reported as one clear line without a stack trace.
 * ExplainedErrors (kubeconfig, Kubernetes API, Prometheus, no workloads…) name parameters as flags.
 */
const EXPECTED = [
  KrrBinaryError,
  MissingPrerequisiteError,
  PrometheusAccessError,
  OutputFileError,
  StaleManifestError,
];

const COMMANDS = new Set(['scan', 'manifests', 'serve', 'audit', 'demo']);

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan':
        return await runScan(rest, io);
      case 'manifests':
        return await runManifests(rest, io);
      case 'serve':
        return await runServe(rest, io);
      case 'audit':
        return await runAudit(rest, io);
      case 'demo':
        return await runDemo(rest, io);
      case 'version':
      case '--version':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        if (rest[0] === 'scan') return await runScan(['--help'], io);
        if (rest[0] === 'manifests') return await runManifests(['--help'], io);
        if (rest[0] === 'serve') return await runServe(['--help'], io);
        if (rest[0] === 'audit') return await runAudit(['--help'], io);
        if (rest[0] === 'demo') return await runDemo(['--help'], io);
        io.stdout.write(HELP);
        return 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidInputError) {
      const message = error instanceof InvalidInputError ? error.explain(CLI_PARAMETER_NAMES) : error.message;
      const help = `krr-mcp ${command !== undefined && COMMANDS.has(command) ? `${command} ` : ''}--help`;
      io.stderr.write(`Error: ${message}\nRun \`${help}\` for usage.\n`);
      return 2;
    }
    if (error instanceof ExplainedError) {
      io.stderr.write(`Error: ${error.explain(CLI_PARAMETER_NAMES)}\n`);
      return 1;
    }
    if (EXPECTED.some((type) => error instanceof type)) {
      io.stderr.write(`Error: ${(error as Error).message}\n`);
      return 1;
    }
    const e = error as Error;
    io.stderr.write(`Unexpected error: ${e?.message ?? String(error)}\n`);
    if (io.env.KRR_MCP_DEBUG) io.stderr.write(`${e?.stack ?? ''}\n`);
    return 1;
  }
}

/** The script node was started with, through symlinks (`npx krr-mcp` and npm's bin links are symlinks). */
function entryScript(): string {
  const script = process.argv[1] ?? '';
  try {
    return realpathSync(script);
  } catch {
    return script;
  }
}

// Run only when executed as the CLI (the bundle's entry), not when imported by tests.
if (/(?:cli\.cjs|cli[\\/]main\.ts)$/.test(entryScript())) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Unexpected error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
