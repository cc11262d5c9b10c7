import { delimiter } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';

/**
 * The parts of the Kubernetes extension's API we use, checked at runtime instead of depending on the
 * `vscode-kubernetes-tools-api` package: its `activate()` returns an API broker whose
 * `get('configuration', 'v1_1')` answers `{ available: true, api }` or `{ available: false, reason }`
 * (vscode-kubernetes-tools `src/api/contract/api.ts`, `src/api/contract/configuration/v1_1.ts`).
 */
export const KUBERNETES_TOOLS_EXTENSION_ID = 'ms-kubernetes-tools.vscode-kubernetes-tools';

const callable = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  message: 'not a function',
});

const ApiBrokerSchema = z.object({ get: callable });

const ApiAnswerSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(true), api: z.unknown() }),
  z.object({ available: z.literal(false), reason: z.string().optional() }),
]);

const ConfigurationV1_1Schema = z.object({
  getKubeconfigPath: callable,
  onDidChangeKubeconfigPath: callable,
  onDidChangeContext: callable,
});

/** `getKubeconfigPath()`: a path on this machine (may be a KUBECONFIG-style list), or one inside WSL. */
export const KubeconfigPathSchema = z.discriminatedUnion('pathType', [
  z.object({ pathType: z.literal('host'), hostPath: z.string() }),
  z.object({ pathType: z.literal('wsl'), wslPath: z.string() }),
]);
export type KubernetesToolsKubeconfigPath = z.infer<typeof KubeconfigPathSchema>;

/** configuration.v1_1 as far as we use it; the values it hands over are validated where they are read. */
export interface KubernetesToolsConfiguration {
  getKubeconfigPath(): unknown;
  onDidChangeKubeconfigPath(listener: (path: unknown) => unknown): unknown;
  onDidChangeContext(listener: (context: unknown) => unknown): unknown;
}

export type KubernetesToolsApi =
  { available: true; configuration: KubernetesToolsConfiguration } | { available: false; reason: string };

/** What `vscode.extensions` must offer (a parameter so tests can stand in for the extension). */
export interface ExtensionLookup {
  getExtension(id: string): { activate(): Thenable<unknown> } | undefined;
}

/**
 * Looks for the Kubernetes extension and its configuration API, activating it if it is installed but not
 * active yet. Never throws: an absent, failing or too old extension is an answer with a reason.
 */
export async function connectKubernetesTools(
  extensions: ExtensionLookup = vscode.extensions,
): Promise<KubernetesToolsApi> {
  let broker: unknown;
  try {
    const extension = extensions.getExtension(KUBERNETES_TOOLS_EXTENSION_ID);
    if (!extension) return { available: false, reason: 'extension-not-installed' };
    // activate() resolves to the exports, at once when the extension is already active.
    broker = await extension.activate();
  } catch (error) {
    return { available: false, reason: `activation failed: ${messageOf(error)}` };
  }
  if (!ApiBrokerSchema.safeParse(broker).success) return { available: false, reason: 'no API broker' };
  let answer: unknown;
  try {
    answer = (broker as { get(component: string, version: string): unknown }).get('configuration', 'v1_1');
  } catch (error) {
    return { available: false, reason: `configuration API failed: ${messageOf(error)}` };
  }
  const parsed = ApiAnswerSchema.safeParse(answer);
  if (!parsed.success) return { available: false, reason: 'unexpected answer from the API broker' };
  if (!parsed.data.available) return { available: false, reason: parsed.data.reason ?? 'unavailable' };
  // The original object is kept (not zod's copy) so that its methods keep their `this`.
  const api = (answer as { api: unknown }).api;
  if (!ConfigurationV1_1Schema.safeParse(api).success) {
    return { available: false, reason: 'configuration.v1_1 has an unexpected shape' };
  }
  return { available: true, configuration: api as KubernetesToolsConfiguration };
}

/**
 * The kubeconfig the Kubernetes extension uses, read once and again when it says the path or the context
 * changed, or when its settings (`vs-kubernetes`) change, since its events are documented as heuristic.
 */
export class KubernetesToolsKubeconfig implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: Array<{ dispose(): unknown }> = [];
  private path: KubernetesToolsKubeconfigPath | undefined;
  private problem: string | undefined;

  constructor(private readonly configuration: KubernetesToolsConfiguration) {
    this.path = this.read();
    this.subscribe(() =>
      configuration.onDidChangeKubeconfigPath((path) => {
        const announced = KubeconfigPathSchema.safeParse(path);
        this.path = announced.success ? announced.data : this.read();
        this.changed.fire();
      }),
    );
    this.subscribe(() => configuration.onDidChangeContext(() => this.changed.fire()));
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('vs-kubernetes')) return;
        this.path = this.read();
        this.changed.fire();
      }),
    );
  }

  /**
   * The kubeconfig files on this machine the extension designates, or undefined when it designates none
   * we can read (a path inside WSL, an error, an empty path): then the usual fallbacks apply.
   */
  hostPaths(): string[] | undefined {
    if (this.path?.pathType !== 'host') return undefined;
    const paths = this.path.hostPath.split(delimiter).filter((p) => p.length > 0);
    return paths.length > 0 ? paths : undefined;
  }

  /** Why the extension's kubeconfig is not used, when it is not. */
  whyUnused(): string | undefined {
    if (this.hostPaths()) return undefined;
    if (this.path?.pathType === 'wsl') return `its kubeconfig is inside WSL (${this.path.wslPath})`;
    return this.problem ?? 'it names no kubeconfig';
  }

  private read(): KubernetesToolsKubeconfigPath | undefined {
    try {
      const parsed = KubeconfigPathSchema.safeParse(this.configuration.getKubeconfigPath());
      this.problem = parsed.success ? undefined : 'getKubeconfigPath() answered an unexpected shape';
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      this.problem = `getKubeconfigPath() failed: ${messageOf(error)}`;
      return undefined;
    }
  }

  private subscribe(subscribe: () => unknown): void {
    try {
      const subscription = subscribe();
      if (isDisposable(subscription)) this.subscriptions.push(subscription);
    } catch {
      // An event that cannot be subscribed to only means fewer updates; the file watchers still work.
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions.splice(0)) {
      try {
        subscription.dispose();
      } catch {
        // The other extension may already be gone.
      }
    }
    this.changed.dispose();
  }
}

function isDisposable(value: unknown): value is { dispose(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { dispose?: unknown }).dispose === 'function'
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
