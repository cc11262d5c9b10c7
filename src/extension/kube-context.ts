import { existsSync } from 'node:fs';
import { basename, delimiter, dirname } from 'node:path';
import * as vscode from 'vscode';
import {
  kubeconfigSources,
  loadKubeTarget,
  type ClusterIdentity,
  type KubeTarget,
} from '../core/kube/kubeconfig.js';
import {
  connectKubernetesTools,
  KubernetesToolsKubeconfig,
  type KubernetesToolsApi,
} from './kubernetes-tools-api.js';

/** Where the kubeconfig in effect comes from, in order of precedence. */
export type KubeconfigOrigin = 'setting' | 'kubernetes-tools' | 'environment' | 'default';

/**
 * The editor's Kubernetes context: kubeconfig from the `krrMcp.kubeconfig` setting, else the one the
 * Kubernetes extension (ms-kubernetes-tools) uses when it is installed, else KUBECONFIG, else
 * ~/.kube/config; the context from "krr-mcp: Select Context" (kept per workspace, never written to the
 * user's kubeconfig), else the setting, else the file's current-context. Watches the files, and follows
 * the Kubernetes extension when it switches kubeconfig or context.
 */
export class EditorKubeContext implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private watchers: vscode.Disposable[] = [];
  private kubernetesTools: KubernetesToolsKubeconfig | undefined;
  private kubernetesToolsUnused = 'not looked for yet';
  private disposed = false;
  /** Settles once the Kubernetes extension has been looked for (whatever the answer). */
  readonly ready: Promise<void>;

  constructor(
    private readonly state: vscode.Memento,
    private readonly env: NodeJS.ProcessEnv = process.env,
    kubernetesTools: () => Promise<KubernetesToolsApi> = connectKubernetesTools,
  ) {
    this.watch();
    this.ready = this.connect(kubernetesTools);
  }

  /** The kubeconfig files in effect (existing ones only). */
  sources(): string[] {
    return this.candidates().paths.filter((p) => existsSync(p));
  }

  /** Which rule chose the kubeconfig in effect. */
  origin(): KubeconfigOrigin {
    return this.candidates().origin;
  }

  /** Why the Kubernetes extension's kubeconfig is not the one in effect (for logs), if it is not. */
  kubernetesToolsStatus(): string {
    if (!this.kubernetesTools) return `Kubernetes extension not used: ${this.kubernetesToolsUnused}`;
    const unused = this.kubernetesTools.whyUnused();
    return unused ? `Kubernetes extension not used: ${unused}` : "Kubernetes extension's kubeconfig in use";
  }

  private candidates(): { origin: KubeconfigOrigin; paths: string[] } {
    const configured = vscode.workspace.getConfiguration('krrMcp').get<string>('kubeconfig') || undefined;
    if (configured) return { origin: 'setting', paths: [configured] };
    const fromKubernetesTools = this.kubernetesTools?.hostPaths();
    if (fromKubernetesTools) return { origin: 'kubernetes-tools', paths: fromKubernetesTools };
    return {
      origin: this.env.KUBECONFIG ? 'environment' : 'default',
      paths: kubeconfigSources({ env: this.env }),
    };
  }

  /** The context chosen in the editor, if any (else the kubeconfig's current-context applies). */
  chosenContext(): string | undefined {
    return (
      this.state.get<string>('krrMcp.context') ||
      vscode.workspace.getConfiguration('krrMcp').get<string>('context') ||
      undefined
    );
  }

  async choose(context: string | undefined): Promise<void> {
    await this.state.update('krrMcp.context', context);
    this.changed.fire();
  }

  /** Loads the target; throws KubeConfigError with a message for the person when there is none. */
  target(context?: string): KubeTarget {
    // When none of the chosen files exists, they are still what is passed on, so that the error names
    // them instead of a later rule quietly picking another kubeconfig (and maybe another cluster).
    const { paths } = this.candidates();
    const existing = paths.filter((p) => existsSync(p));
    const files = existing.length > 0 ? existing : paths;
    const wanted = context ?? this.chosenContext();
    return loadKubeTarget({
      ...(files.length === 1 ? { kubeconfig: files[0]! } : {}),
      ...(wanted ? { context: wanted } : {}),
      env: files.length > 1 ? { ...this.env, KUBECONFIG: files.join(delimiter) } : this.env,
    });
  }

  identity(): ClusterIdentity | undefined {
    try {
      return this.target().identity;
    } catch {
      return undefined;
    }
  }

  contexts(): string[] {
    try {
      return this.target()
        .kubeConfig.getContexts()
        .map((c) => c.name);
    } catch {
      return [];
    }
  }

  private async connect(kubernetesTools: () => Promise<KubernetesToolsApi>): Promise<void> {
    let api: KubernetesToolsApi;
    try {
      api = await kubernetesTools();
    } catch (error) {
      api = { available: false, reason: (error as Error).message };
    }
    if (!api.available) {
      this.kubernetesToolsUnused = api.reason;
      return;
    }
    const tools = new KubernetesToolsKubeconfig(api.configuration);
    if (this.disposed) {
      tools.dispose();
      return;
    }
    this.kubernetesTools = tools;
    tools.onDidChange(() => this.refreshWatchers());
    this.refreshWatchers();
  }

  /**
   * Watches each kubeconfig file, including one that does not exist yet. A plain glob only sees files in
   * the workspace folders, so each file is watched through a pattern based on its own directory.
   */
  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = this.candidates().paths.map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)),
      );
      const fire = () => this.changed.fire();
      return vscode.Disposable.from(
        watcher,
        watcher.onDidChange(fire),
        watcher.onDidCreate(fire),
        watcher.onDidDelete(fire),
      );
    });
  }

  refreshWatchers(): void {
    if (this.disposed) return;
    this.watch();
    this.changed.fire();
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watchers) w.dispose();
    this.kubernetesTools?.dispose();
    this.changed.dispose();
  }
}
