import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  kubeconfigSources,
  loadKubeTarget,
  type ClusterIdentity,
  type KubeTarget,
} from '../core/kube/kubeconfig.js';

/**
 * The editor's Kubernetes context: kubeconfig from the `krrMcp.kubeconfig` setting, else KUBECONFIG,
 * else ~/.kube/config; the context from "krr-mcp: Select Context" (kept per workspace, never written to
 * the user's kubeconfig), else the setting, else the file's current-context. Watches the files.
 */
export class EditorKubeContext implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private watchers: vscode.Disposable[] = [];

  constructor(
    private readonly state: vscode.Memento,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.watch();
  }

  /** The kubeconfig files in effect (existing ones only). */
  sources(): string[] {
    const configured = vscode.workspace.getConfiguration('krrMcp').get<string>('kubeconfig') || undefined;
    return kubeconfigSources({ ...(configured ? { kubeconfig: configured } : {}), env: this.env }).filter(
      (p) => existsSync(p),
    );
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
    const sources = this.sources();
    const wanted = context ?? this.chosenContext();
    return loadKubeTarget({
      ...(sources.length === 1 ? { kubeconfig: sources[0]! } : {}),
      ...(wanted ? { context: wanted } : {}),
      env:
        sources.length > 1
          ? { ...this.env, KUBECONFIG: sources.join(process.platform === 'win32' ? ';' : ':') }
          : this.env,
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

  private watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = this.sources().map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(file);
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
    this.watch();
    this.changed.fire();
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
    this.changed.dispose();
  }
}
