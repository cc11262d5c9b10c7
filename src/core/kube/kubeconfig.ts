import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster } from '@kubernetes/client-node';
import { parseDocument } from 'yaml';
import { ExplainedError } from '../input/parameters.js';

/** Which cluster a kubeconfig context points at; approvals are later bound to exactly this. */
export interface ClusterIdentity {
  context: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string;
}

export interface KubeTarget {
  kubeConfig: KubeConfig;
  identity: ClusterIdentity;
  /** The kubeconfig file(s) read, for messages and for handing to child processes. */
  sources: string[];
}

export interface KubeTargetOptions {
  /** Explicit kubeconfig path (--kubeconfig); otherwise KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** Context to use; otherwise the file's current-context. */
  context?: string;
  env?: NodeJS.ProcessEnv;
}

/** The kubeconfig cannot be used; the message names the file and the fix, never the file's contents. */
export class KubeConfigError extends ExplainedError {
  override name = 'KubeConfigError';
}

/** The kubeconfig files that would be read, in kubectl's order of precedence. */
export function kubeconfigSources(options: KubeTargetOptions): string[] {
  if (options.kubeconfig) return [options.kubeconfig];
  const fromEnv = (options.env ?? process.env).KUBECONFIG;
  if (fromEnv) return fromEnv.split(delimiter).filter((p) => p.length > 0);
  return [join(homedir(), '.kube', 'config')];
}

/**
 * Loads the kubeconfig like kubectl does (an explicit path, else every file in KUBECONFIG merged, else
 * ~/.kube/config) and selects a context. Fails with a message that says what to fix.
 */
export function loadKubeTarget(options: KubeTargetOptions = {}): KubeTarget {
  const { kubeConfig, existing } = loadKubeconfigFiles(options);

  const context = options.context ?? kubeConfig.getCurrentContext();
  if (!context) {
    throw new KubeConfigError(
      (name) =>
        `The kubeconfig (${existing.join(', ')}) has no current-context: choose one with ${name('context')} (available: ${contextNames(kubeConfig)}).`,
    );
  }
  const contextObject = kubeConfig.getContextObject(context);
  if (!contextObject) {
    throw new KubeConfigError(
      (name) =>
        `Invalid value for ${name('context')}: no context "${context}" in the kubeconfig. Available contexts: ${contextNames(kubeConfig)}.`,
    );
  }
  kubeConfig.setCurrentContext(context);
  allowPlainHttp(kubeConfig);
  const cluster = kubeConfig.getCluster(contextObject.cluster);
  if (!cluster) {
    throw new KubeConfigError(
      `Context "${context}" refers to cluster "${contextObject.cluster}", which the kubeconfig does not define.`,
    );
  }
  return {
    kubeConfig,
    sources: existing,
    identity: {
      context,
      cluster: cluster.name,
      server: cluster.server,
      user: contextObject.user,
      ...(contextObject.namespace ? { namespace: contextObject.namespace } : {}),
    },
  };
}

/** Every context of the kubeconfig, in its order (krr's --all-clusters). */
export function kubeconfigContexts(options: Omit<KubeTargetOptions, 'context'> = {}): string[] {
  return loadKubeconfigFiles(options)
    .kubeConfig.getContexts()
    .map((c) => c.name);
}

/** The kubeconfig files read and merged as kubectl does; fails naming the files, never quoting them. */
function loadKubeconfigFiles(options: KubeTargetOptions): { kubeConfig: KubeConfig; existing: string[] } {
  const sources = kubeconfigSources(options);
  const existing = sources.filter((p) => existsSync(p));
  if (existing.length === 0) {
    throw new KubeConfigError(
      (name) =>
        `No kubeconfig found (looked at ${sources.join(', ')}). Give one with ${name('kubeconfig')}, set KUBECONFIG, or create ~/.kube/config.`,
    );
  }
  const kubeConfig = new KubeConfig();
  for (const [i, file] of existing.entries()) {
    const part = readKubeconfigFile(file);
    // kubectl takes current-context from the first file that sets one.
    if (i === 0) kubeConfig.loadFromString(part.exportConfig());
    else mergeInto(kubeConfig, part);
  }
  return { kubeConfig, existing };
}

/** Larger than any real kubeconfig; a bigger file is a mistake (a log, an image), not a config. */
const MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Reads one kubeconfig file. Errors say where the problem is (line and column) but never quote the file:
 * kubeconfigs hold tokens and keys, and a parser's error snippet would print them on the terminal.
 */
function readKubeconfigFile(file: string): KubeConfig {
  const cannot = (why: string) => new KubeConfigError(`Cannot use the kubeconfig ${file}: ${why}.`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw cannot(
      code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : `unreadable (${code})`,
    );
  }
  if (bytes.length > MAX_KUBECONFIG_BYTES) throw cannot(`it is ${bytes.length} bytes, not a kubeconfig`);
  const text = bytes.toString('utf8');
  if (bytes.includes(0) || text.includes('\uFFFD'))
    throw cannot('it is not a text file (binary content); point at the kubeconfig YAML file');
  const document = parseDocument(text);
  const error = document.errors[0];
  if (error) {
    const where = error.linePos?.[0];
    throw cannot(
      `it is not valid YAML${where ? ` at line ${where.line}, column ${where.col}` : ''} (the file is not shown: it may hold credentials)`,
    );
  }
  const shape = document.toJS() as unknown;
  if (typeof shape !== 'object' || shape === null || Array.isArray(shape))
    throw cannot('it is YAML but not a kubeconfig (no clusters, users or contexts)');
  const config = new KubeConfig();
  try {
    config.loadFromString(text);
  } catch (e) {
    // client-node's messages are about structure (a missing name, a bad field); the first line has no contents.
    const first = ((e as Error).message.split('\n')[0] ?? '').slice(0, 200);
    throw cannot(`it is not a valid kubeconfig (${first})`);
  }
  return config;
}

/**
 * kubectl talks to `http://` servers (`kubectl proxy`, local test clusters); client-node refuses them unless
 * TLS verification is "skipped", which means nothing for plain HTTP. So plain-HTTP clusters get that flag.
 */
function allowPlainHttp(kubeConfig: KubeConfig): void {
  kubeConfig.clusters = kubeConfig.clusters.map((c: Cluster): Cluster =>
    c.server.startsWith('http://') ? { ...c, skipTLSVerify: true } : c,
  );
}

function contextNames(kc: KubeConfig): string {
  const names = kc.getContexts().map((c) => c.name);
  return names.length > 0 ? names.join(', ') : '(none)';
}

/** Adds clusters, users and contexts that the target does not have yet (first definition wins, as in kubectl). */
function mergeInto(target: KubeConfig, source: KubeConfig): void {
  for (const c of source.getClusters()) if (!target.getCluster(c.name)) target.addCluster(c);
  for (const u of source.getUsers()) if (!target.getUser(u.name)) target.addUser(u);
  for (const x of source.getContexts()) if (!target.getContextObject(x.name)) target.addContext(x);
  if (!target.getCurrentContext() && source.getCurrentContext())
    target.setCurrentContext(source.getCurrentContext());
}
