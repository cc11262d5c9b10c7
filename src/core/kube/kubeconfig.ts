import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

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

export class KubeConfigError extends Error {
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
  const sources = kubeconfigSources(options);
  const existing = sources.filter((p) => existsSync(p));
  if (existing.length === 0) {
    throw new KubeConfigError(
      `No kubeconfig found (looked at ${sources.join(', ')}). Pass --kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config.`,
    );
  }
  const kubeConfig = new KubeConfig();
  for (const [i, file] of existing.entries()) {
    const part = new KubeConfig();
    try {
      part.loadFromFile(file);
    } catch (e) {
      throw new KubeConfigError(`Cannot read kubeconfig ${file}: ${(e as Error).message}`);
    }
    // kubectl takes current-context from the first file that sets one.
    if (i === 0) kubeConfig.loadFromString(part.exportConfig());
    else mergeInto(kubeConfig, part);
  }

  const context = options.context ?? kubeConfig.getCurrentContext();
  if (!context) {
    throw new KubeConfigError(
      `The kubeconfig (${existing.join(', ')}) has no current-context: pass --context <name> (available: ${contextNames(kubeConfig)}).`,
    );
  }
  const contextObject = kubeConfig.getContextObject(context);
  if (!contextObject) {
    throw new KubeConfigError(
      `Unknown context "${context}". Available contexts: ${contextNames(kubeConfig)}.`,
    );
  }
  kubeConfig.setCurrentContext(context);
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
