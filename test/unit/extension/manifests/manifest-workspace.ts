// The fixture repository as a VS Code workspace in the test double, a scan source a test drives, and
// krr rows built by hand: what the manifests feature's tests share.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as vscodeTypes from 'vscode';
import type {
  ResourceScan,
  ScanResult,
  Severity,
  WorkloadKind,
} from '../../../../src/core/recommend/model.js';
import { byImpact, toRecommendationItem } from '../../../../src/core/recommend/recommendation-items.js';
import { registerManifestFeatures } from '../../../../src/extension/manifests/register-manifest-features.js';
import {
  WorkspaceManifests,
  type ScanSource,
} from '../../../../src/extension/manifests/workspace-manifests.js';
import type {
  ContextRecommendations,
  RecommendationSnapshot,
  RecommendationSource,
  RecommendationState,
} from '../../../../src/extension/tree/recommendation-source.js';
import { RecommendationsProvider } from '../../../../src/extension/tree/recommendations-provider.js';
import {
  CodeAction,
  CodeActionKind,
  CodeLens,
  Diagnostic,
  double,
  EventEmitter,
  Range,
  Uri,
  window,
  type DiagnosticCollectionDouble,
  type TextDocumentDouble,
} from '../../../support/vscode-double/vscode.js';

export const ROOT = '/ws';
export const CONTEXT = 'prod-cluster';
const FIXTURES = fileURLToPath(new URL('../../../fixtures/manifests', import.meta.url));
const MiB = 1024 ** 2;

/** The fixture repository, byte for byte, as the workspace folder /ws. */
export function loadFixtureWorkspace(): void {
  double.workspaceFolders.push({ uri: Uri.file(ROOT), name: 'ws', index: 0 });
  for (const relative of readdirSync(FIXTURES, { recursive: true }).map(String).sort()) {
    const path = join(FIXTURES, relative);
    if (statSync(path).isFile()) double.files.set(`${ROOT}/${relative}`, readFileSync(path, 'utf8'));
  }
}

export const uri = (relative: string) => Uri.file(`${ROOT}/${relative}`);

export interface RowSpec {
  namespace: string;
  kind?: WorkloadKind;
  name: string;
  container: string;
  /** Recommended CPU request (cores) and memory (MiB). */
  cpu: number;
  memoryMiB: number;
  /** Current requests, for the savings: cores and MiB. */
  current?: { cpu: number; memoryMiB: number };
  severity?: Severity;
  pods?: number;
  labels?: Record<string, string>;
}

/** A krr `simple` row: CPU request, no CPU limit, memory request = limit. */
export function row(spec: RowSpec): ResourceScan {
  const severity = spec.severity ?? 'WARNING';
  const value = (v: number | null) => ({ value: v, severity });
  const current = spec.current ?? { cpu: spec.cpu, memoryMiB: spec.memoryMiB };
  return {
    object: {
      cluster: CONTEXT,
      name: spec.name,
      container: spec.container,
      pods: Array.from({ length: spec.pods ?? 2 }, (_, i) => ({ name: `${spec.name}-${i}`, deleted: false })),
      hpa: null,
      namespace: spec.namespace,
      kind: spec.kind ?? 'Deployment',
      allocations: {
        requests: { cpu: current.cpu, memory: current.memoryMiB * MiB },
        limits: { cpu: null, memory: current.memoryMiB * MiB },
        info: {},
      },
      warnings: [],
      labels: spec.labels ?? null,
      annotations: null,
    },
    recommended: {
      requests: { cpu: value(spec.cpu), memory: value(spec.memoryMiB * MiB) },
      limits: { cpu: value(null), memory: value(spec.memoryMiB * MiB) },
      info: { cpu: null, memory: null },
    },
    severity,
  };
}

export const idOf = (namespace: string, kind: string, name: string, container: string) =>
  `${CONTEXT}/${namespace}/${kind}/${name}/${container}`;

/** The scan controller as the feature sees it: a test publishes rows, as a finished scan would. */
export class FakeScans implements ScanSource, RecommendationSource {
  private readonly emitter = new EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private rows: ResourceScan[] | undefined;

  constructor(rows?: ResourceScan[]) {
    this.rows = rows;
  }

  publish(rows: ResourceScan[]): void {
    this.rows = rows;
    this.emitter.fire();
  }

  result(): ScanResult | undefined {
    if (!this.rows) return undefined;
    return {
      scans: this.rows,
      score: 0,
      resources: ['cpu', 'memory'],
      description: '',
      strategy: { name: 'simple', settings: {} },
      errors: [],
      clusterSummary: {},
      config: {},
    };
  }

  snapshot(): RecommendationSnapshot | undefined {
    if (!this.rows) return undefined;
    return {
      context: CONTEXT,
      server: 'https://k8s.example:6443',
      scannedAt: new Date('2026-01-01T00:00:00Z'),
      items: this.rows.map((r) => toRecommendationItem(CONTEXT, r)).sort(byImpact),
    };
  }

  state(): RecommendationState {
    return this.rows ? 'ready' : 'empty';
  }

  contexts(): ContextRecommendations[] {
    return [
      { context: CONTEXT, current: true, state: this.state(), attempted: true, snapshot: this.snapshot() },
    ];
  }

  scanContext(): void {}
}

/** Rows for the fixture repository: one per kind of place a definition can live. */
export const FIXTURE_ROWS = {
  /** plain/shop.yaml, with a CPU limit to remove. */
  shopApp: row({
    namespace: 'shop',
    name: 'web',
    container: 'app',
    cpu: 0.12,
    memoryMiB: 300,
    current: { cpu: 0.5, memoryMiB: 512 },
  }),
  /** plain/shop.yaml, the second container: adds memory. */
  shopProxy: row({
    namespace: 'shop',
    name: 'web',
    container: 'proxy',
    cpu: 0.02,
    memoryMiB: 64,
    current: { cpu: 0.05, memoryMiB: 64 },
    severity: 'CRITICAL',
  }),
  /** The prod overlay's existing patch. */
  prodWeb: row({
    namespace: 'prod',
    name: 'web',
    container: 'app',
    cpu: 0.3,
    memoryMiB: 768,
    current: { cpu: 0.5, memoryMiB: 1024 },
    severity: 'CRITICAL',
  }),
  /** The staging overlay has no patch: a new one is created and listed. */
  stagingWeb: row({
    namespace: 'staging',
    name: 'staging-web',
    container: 'app',
    cpu: 0.1,
    memoryMiB: 256,
    current: { cpu: 0.5, memoryMiB: 512 },
  }),
  /** Fine as it is: OK rows get lenses but no diagnostics. */
  cache: row({
    namespace: 'shop',
    kind: 'StatefulSet',
    name: 'cache',
    container: 'redis',
    cpu: 0.05,
    memoryMiB: 100,
    current: { cpu: 0.1, memoryMiB: 128 },
    severity: 'OK',
  }),
  /** Rendered by the payments chart: its values.yaml is written. */
  payments: row({
    namespace: 'payments',
    name: 'payments-prod',
    container: 'payments',
    cpu: 0.2,
    memoryMiB: 400,
    current: { cpu: 0.25, memoryMiB: 300 },
    labels: {
      'app.kubernetes.io/instance': 'payments-prod',
      'app.kubernetes.io/name': 'payments',
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.sh/chart': 'payments-1.2.0',
    },
  }),
  /** In the cluster, not in the workspace. */
  ghost: row({ namespace: 'nowhere', name: 'ghost', container: 'x', cpu: 0.2, memoryMiB: 400 }),
};

export type Log = vscodeTypes.LogOutputChannel;

/** The feature as activation registers it, against the fixture workspace, with no debounce pause. */
const started: Array<{ dispose(): unknown }> = [];

/** Disposes what `startFeatures` registered, so that no test hears another's events. */
export function stopFeatures(): void {
  for (const disposable of started.splice(0)) disposable.dispose();
}

/** `null`: no scan yet. */
export async function startFeatures(rows: ResourceScan[] | null = Object.values(FIXTURE_ROWS)) {
  loadFixtureWorkspace();
  const scans = new FakeScans(rows ?? undefined);
  const tree = new RecommendationsProvider(scans);
  const log = window.createOutputChannel('krr-mcp') as unknown as Log;
  const disposables = registerManifestFeatures({ log, scans, tree, debounceMs: 0 });
  started.push(...disposables, tree);
  const manifests = disposables.find((d): d is WorkspaceManifests => d instanceof WorkspaceManifests)!;
  await manifests.settled();
  const lensProvider = double.codeLensProviders[0]!.provider as vscodeTypes.CodeLensProvider;
  const actionProvider = double.codeActionProviders[0]!.provider as vscodeTypes.CodeActionProvider;
  return {
    scans,
    tree,
    manifests,
    disposables,
    diagnostics: double.diagnosticCollections[0] as DiagnosticCollectionDouble,
    lenses: (document: TextDocumentDouble) =>
      (lensProvider.provideCodeLenses(document as never, never()) ?? []) as unknown as CodeLens[],
    actions: (document: TextDocumentDouble, line: number, diagnostics: Diagnostic[] = []) =>
      (actionProvider.provideCodeActions(
        document as never,
        new Range(line, 0, line, 0) as never,
        { diagnostics, triggerKind: 1, only: undefined } as never,
        never(),
      ) ?? []) as unknown as CodeAction[],
    quickFixOnly: CodeActionKind.QuickFix,
  };
}

/** A cancellation token that never fires. */
function never(): vscodeTypes.CancellationToken {
  return { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } as never;
}

/** Resolves after the model's next refresh: how a test waits for a debounced refresh without sleeping. */
export function nextRefresh(manifests: WorkspaceManifests): Promise<void> {
  return new Promise((resolve) => {
    const subscription = manifests.onDidRefresh(() => {
      subscription.dispose();
      resolve();
    });
  });
}
