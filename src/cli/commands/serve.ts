import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { parseSafetyRules, SafetyRulesError } from '../../core/changes/safety-rules.js';
import { PrometheusAccessError, prometheusAccessFromEnv } from '../../core/prometheus/access-from-env.js';
import { ConfigError, loadServerConfig } from '../../mcp/config.js';
import { ApprovalConnectionError, connectApproval } from '../../mcp/approval-connection.js';
import { jsonLogger } from '../../mcp/logger.js';
import { PlanStore } from '../../mcp/plan-store.js';
import { createMcpServer } from '../../mcp/server.js';
import { createServerContext } from '../../mcp/server-context.js';
import { helpText, parseFlags, stringFlag, type FlagTable } from '../flags.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';
import { VERSION } from '../version.js';

export const SERVE_USAGE = 'krr-mcp serve [flags]';

const SERVE_FLAGS: FlagTable = {
  kubeconfig: {
    type: 'string',
    short: 'k',
    value: 'FILE',
    help: 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)',
    group: 'Server',
  },
  context: {
    type: 'string',
    short: 'c',
    value: 'NAME',
    help: 'kubeconfig context (default: $KUBERNETES_CONTEXT, then current-context)',
    group: 'Server',
  },
  'prometheus-url': {
    type: 'string',
    short: 'p',
    value: 'URL',
    help: 'Prometheus URL (default: $PROMETHEUS_URL, else discovered in the cluster)',
    group: 'Server',
  },
  'log-level': {
    type: 'string',
    value: 'LEVEL',
    help: 'debug, info (default), warn or error; logs are JSON lines on stderr',
    group: 'Server',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help', group: 'Server' },
};

const DESCRIPTION = `Runs the krr-mcp MCP server over stdio (stdout carries the protocol, logs go to stderr).

Environment: KUBECONFIG, KUBERNETES_CONTEXT, PROMETHEUS_URL, PROMETHEUS_AUTH_HEADER, PROMETHEUS_BEARER_TOKEN,
PROMETHEUS_USERNAME + PROMETHEUS_PASSWORD, PROMETHEUS_CA_FILE, PROMETHEUS_INSECURE_SKIP_TLS_VERIFY (true/false),
PROMETHEUS_CLUSTER_LABEL_NAME (the label naming each cluster in a shared Prometheus, e.g. cluster) and
PROMETHEUS_CLUSTER_LABEL_VALUES (JSON: context -> its value, where not the context's name),
LOG_LEVEL, CONFIRMATION_TIMEOUT (s), KRR_STRATEGY, SCAN_CACHE_SECONDS,
PROMETHEUS_TIMEOUT (s), KRR_MCP_AUDIT_LOG, KRR_BINARY, MAX_RESOURCE_CHANGE_PERCENT (500),
CRITICAL_WORKLOAD_PATTERNS, PRODUCTION_NAMESPACE_PATTERNS (comma-separated regexes),
CPU_PRICE_PER_CORE_HOUR, MEMORY_PRICE_PER_GIB_HOUR (US dollars; default AWS Fargate on-demand us-east-1).
The approval authority: KRR_MCP_IPC_PATH and KRR_MCP_IPC_SECRET (set by the VS Code extension when it
starts the server), else a broker descriptor of a running VS Code in KRR_MCP_STATE_DIR (~/.krr-mcp).

Without an approval surface (the krr-mcp VS Code extension), the read-only tools work and the tools that
change the cluster refuse with an explanation.`;

export function serveHelp(): string {
  return helpText(SERVE_USAGE, DESCRIPTION, SERVE_FLAGS);
}

/** `krr-mcp serve`: resolves when stdin closes. */
export async function runServe(argv: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseFlags(argv, SERVE_FLAGS);
  if (flags.help) {
    io.stdout.write(serveHelp());
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`Unexpected arguments: ${positionals.join(' ')}`);
  let config;
  let safety;
  try {
    safety = parseSafetyRules(io.env);
    prometheusAccessFromEnv(io.env);
    config = loadServerConfig(io.env, {
      kubeconfig: stringFlag(flags, 'kubeconfig'),
      context: stringFlag(flags, 'context'),
      prometheusUrl: stringFlag(flags, 'prometheus-url'),
      logLevel: stringFlag(flags, 'log-level'),
    });
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof SafetyRulesError ||
      error instanceof PrometheusAccessError
    )
      throw new UsageError(error.message);
    throw error;
  }
  const log = jsonLogger(config.logLevel, (line) => io.stderr.write(line));
  const plans = new PlanStore();
  let approval;
  try {
    approval = await connectApproval(io.env, plans, config.confirmationTimeoutSeconds * 1000, VERSION, log);
  } catch (error) {
    if (error instanceof ApprovalConnectionError) {
      io.stderr.write(`Error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const context = createServerContext({
    config,
    safety,
    log,
    version: VERSION,
    env: io.env,
    approval,
    plans,
  });
  const server = createMcpServer(context);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  await server.connect(transport);
  log.info('krr-mcp server ready', { version: VERSION, approval: context.approval.status().detail });
  await closed;
  await server.close().catch(() => {});
  return 0;
}
