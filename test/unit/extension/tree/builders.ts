import type { Severity } from '../../../../src/core/recommend/model.js';
import type { RecommendationItem } from '../../../../src/core/recommend/recommendation-items.js';
import type {
  ContextRecommendations,
  RecommendationSnapshot,
  RecommendationSource,
  RecommendationState,
} from '../../../../src/extension/tree/recommendation-source.js';
import { EventEmitter } from '../../../support/vscode-double/vscode.js';

export const CONTEXT = 'prod';

type Resources = RecommendationItem['current'];

function resources(cpu: string | null, memory: string | null): Resources {
  return { requests: { cpu, memory }, limits: { cpu: null, memory } };
}

/** A recommendation that lowers requests (cpu 500m→250m, mem 1Gi→600Mi); override what a test is about. */
export function aRecommendation(
  overrides: Partial<Omit<RecommendationItem, 'id'>> & { context?: string } = {},
): RecommendationItem {
  const { context = CONTEXT, ...fields } = overrides;
  const item: RecommendationItem = {
    id: '',
    namespace: 'shop',
    kind: 'Deployment',
    name: 'api',
    container: 'app',
    severity: 'WARNING' as Severity,
    pods_running: 2,
    pods_deleted: 0,
    current: resources('500m', '1Gi'),
    recommended: resources('250m', '600Mi'),
    info: { cpu: null, memory: null },
    warnings: [],
    hpa: false,
    monthly_savings_usd: 10,
    ...fields,
  };
  item.id = `${context}/${item.namespace}/${item.kind}/${item.name}/${item.container}`;
  return item;
}

/** `count` one-container Deployments named w000, w001, … in one namespace. */
export function manyWorkloads(count: number, namespace = 'big'): RecommendationItem[] {
  return Array.from({ length: count }, (_, i) =>
    aRecommendation({ namespace, name: `w${String(i).padStart(3, '0')}`, monthly_savings_usd: i }),
  );
}

/** A source a test drives: set the items or the state, then `changed()` as the scan controller would. */
export class FakeSource implements RecommendationSource {
  private readonly emitter = new EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  current: RecommendationSnapshot | undefined;
  currentState: RecommendationState;

  constructor(items?: RecommendationItem[]) {
    this.current = items ? this.snapshotOf(items) : undefined;
    this.currentState = items ? (items.length > 0 ? 'ready' : 'empty') : 'no-kubeconfig';
  }

  snapshot(): RecommendationSnapshot | undefined {
    return this.current;
  }

  state(): RecommendationState {
    return this.currentState;
  }

  publish(
    items: RecommendationItem[],
    state: RecommendationState = items.length > 0 ? 'ready' : 'empty',
  ): void {
    this.current = this.snapshotOf(items);
    this.currentState = state;
    this.emitter.fire();
  }

  setState(state: RecommendationState): void {
    this.currentState = state;
    this.emitter.fire();
  }

  /** Other kubeconfig contexts, after the editor's own (`CONTEXT`). */
  others: ContextRecommendations[] = [];
  /** Contexts the tree asked to scan. */
  readonly scanned: string[] = [];

  contexts(): ContextRecommendations[] {
    const own: ContextRecommendations = {
      context: CONTEXT,
      current: true,
      state: this.currentState,
      attempted: this.current !== undefined,
      snapshot: this.current,
    };
    return [own, ...this.others];
  }

  scanContext(context: string): void {
    this.scanned.push(context);
  }

  /** Fires the change event, as the scan controller does when any context's scan moves on. */
  fire(): void {
    this.emitter.fire();
  }

  private snapshotOf(items: RecommendationItem[]): RecommendationSnapshot {
    return {
      context: CONTEXT,
      server: 'https://k8s.example:6443',
      scannedAt: new Date('2026-01-01T00:00:00Z'),
      items,
    };
  }
}
