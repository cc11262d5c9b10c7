import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { ContainerUsageHistory } from '../../../../src/core/evidence/usage-history-model.js';
import type { RecommendationItem } from '../../../../src/core/recommend/recommendation-items.js';
import {
  DetailsHostMessageSchema,
  type DetailsHostMessage,
} from '../../../../src/extension/approval/panel-protocol.js';
import {
  recommendationsOf,
  registerDetailsCommand,
  SHOW_DETAILS_COMMAND,
} from '../../../../src/extension/details/details-command.js';
import { detailsView, MAX_DETAILS_CONTAINERS } from '../../../../src/extension/details/details-view.js';
import {
  commands,
  double,
  Uri,
  window,
  type WebviewPanelDouble,
} from '../../../support/vscode-double/vscode.js';
import { usageHistory } from '../approval/usage-fixtures.js';

beforeEach(() => double.reset());

const MiB = 1024 * 1024;

function item(container: string, name = 'api'): RecommendationItem {
  return {
    id: `prod/eu/shop/Deployment/${name}/${container}`,
    namespace: 'shop',
    kind: 'Deployment',
    name,
    container,
    severity: 'WARNING',
    pods_running: 2,
    pods_deleted: 0,
    current: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: null, memory: '1Gi' } },
    recommended: { requests: { cpu: '250m', memory: '384Mi' }, limits: { cpu: null, memory: '384Mi' } },
    info: { cpu: null, memory: 'OOMKill detected' },
    warnings: [],
    hpa: false,
    monthly_savings_usd: 12.34,
  };
}

/** Registers the command with `history` as the source; returns the last panel and what it posted. */
function setUp(history: (keys: string[]) => Promise<ContainerUsageHistory[]>) {
  const asked: string[][] = [];
  registerDetailsCommand({
    extensionUri: Uri.file('/ext') as never,
    log: window.createOutputChannel('krr-mcp') as never,
    history: { history: (keys) => (asked.push(keys), history(keys)) },
  });
  const panel = () => double.panels.at(-1) as WebviewPanelDouble;
  const posted = () => panel().webview.posted.map((m) => DetailsHostMessageSchema.parse(m));
  const panelId = () =>
    /<meta name="krr-details-panel-id" content="([^"]+)">/.exec(panel().webview.html)![1]!;
  return { asked, panel, posted, panelId };
}

const lastShown = (posted: DetailsHostMessage[]) => {
  const show = posted.filter((m) => m.type === 'show').at(-1);
  assert.ok(show?.type === 'show', 'a view was posted');
  return show.view;
};

test('a workload node gives its containers, a selection each container once', () => {
  const app = item('app');
  const sidecar = item('sidecar');
  assert.deepEqual(recommendationsOf({ items: [app, sidecar] }, undefined), [app, sidecar]);
  assert.deepEqual(recommendationsOf({ item: app }, [{ items: [app, sidecar] }, { item: app }]), [
    app,
    sidecar,
  ]);
  assert.deepEqual(recommendationsOf(undefined, undefined), []);
});

test('the view: krr values as text, the history with the recommendation as proposed lines, the context', () => {
  const history = usageHistory();
  const view = detailsView([item('app'), item('sidecar')], [history]);
  assert.equal(view.context, 'prod/eu');
  assert.equal(view.containers[0]!.recommended.requests.cpu, '250m');
  assert.deepEqual(view.containers[0]!.chart, {
    history,
    proposed: { requests: { cpu: 0.25, memory: 384 * MiB }, limits: { cpu: null, memory: 384 * MiB } },
  });
  assert.equal(view.containers[1]!.chart, null, 'no history: no chart');
});

test('a huge selection is cut, and the panel says how much was left out', () => {
  const items = Array.from({ length: MAX_DETAILS_CONTAINERS + 5 }, (_, i) => item(`c${i}`));
  const view = detailsView(items, []);
  assert.equal(view.containers.length, MAX_DETAILS_CONTAINERS);
  assert.deepEqual(view.notes, [
    `Showing the first ${MAX_DETAILS_CONTAINERS} of ${items.length} containers; select fewer to see the others.`,
  ]);
});

test('from the tree: the panel opens, asks the source for the selected keys, and shows charts after ready', async () => {
  const history = usageHistory();
  const { asked, panel, posted, panelId } = setUp(() => Promise.resolve([history]));
  await commands.executeCommand(SHOW_DETAILS_COMMAND, { items: [item('app'), item('sidecar')] });
  assert.deepEqual(asked, [['shop/Deployment/api/app', 'shop/Deployment/api/sidecar']]);
  assert.equal(panel().viewType, 'krrMcp.details');
  assert.equal(panel().title, 'Details: shop/api');
  assert.deepEqual(panel().options.enableForms, false);
  // The page asks when it has loaded (and again after VS Code reloads a hidden panel).
  const before = posted().length;
  panel().webview.simulateMessage({ type: 'ready', panelId: panelId() });
  await new Promise((r) => setImmediate(r));
  assert.equal(posted().length, before + 1);
  const view = lastShown(posted());
  assert.equal(view.containers.length, 2);
  assert.equal(view.containers[0]!.chart?.history.key, 'shop/Deployment/api/app');
});

test('the panel is reused for the next selection, and a message for another panel is ignored', async () => {
  const { panel, posted, panelId } = setUp(() => Promise.resolve([]));
  await commands.executeCommand(SHOW_DETAILS_COMMAND, { item: item('app') });
  await commands.executeCommand(SHOW_DETAILS_COMMAND, { item: item('web', 'web') });
  assert.equal(double.panels.length, 1);
  assert.equal(panel().title, 'Details: shop/web');
  const before = posted().length;
  panel().webview.simulateMessage({ type: 'ready', panelId: 'another-panel-0123456789' });
  panel().webview.simulateMessage({ type: 'ready', panelId: panelId(), extra: true });
  await new Promise((r) => setImmediate(r));
  assert.equal(posted().length, before);
  assert.equal(lastShown(posted()).containers[0]!.name, 'web');
});

test('a source that fails leaves the recommendations shown, with the reason', async () => {
  const { posted } = setUp(() => Promise.reject(new Error('Prometheus answered 503')));
  await commands.executeCommand(SHOW_DETAILS_COMMAND, { item: item('app') });
  const view = lastShown(posted());
  assert.equal(view.containers.length, 1);
  assert.deepEqual(view.notes, ['The usage history could not be read: Prometheus answered 503']);
});

test('only the latest selection is shown when an older answer comes late', async () => {
  let releaseFirst: (h: ContainerUsageHistory[]) => void = () => {};
  const answers = [new Promise<ContainerUsageHistory[]>((r) => (releaseFirst = r)), Promise.resolve([])];
  const { posted } = setUp(() => answers.shift()!);
  const first = commands.executeCommand(SHOW_DETAILS_COMMAND, { item: item('old', 'old') });
  await commands.executeCommand(SHOW_DETAILS_COMMAND, { item: item('new', 'new') });
  releaseFirst([]);
  await first;
  assert.equal(lastShown(posted()).containers[0]!.name, 'new');
});

test('without a selection (the palette) the command explains itself and opens nothing', async () => {
  setUp(() => Promise.resolve([]));
  await commands.executeCommand(SHOW_DETAILS_COMMAND);
  assert.equal(double.panels.length, 0);
  assert.match(double.messages.at(-1)!.message, /select a workload or a container/);
});

test('the details shell is the approval shell: nonce-only CSP, its own bundle, no data in the markup', async () => {
  const { panel } = setUp(() => Promise.resolve([]));
  await commands.executeCommand(SHOW_DETAILS_COMMAND, { item: item('app', 'api-<b>bold</b>') });
  const html = panel().webview.html;
  const nonce = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(html)?.[1];
  assert.ok(nonce);
  assert.match(
    html,
    new RegExp(
      `content="default-src 'none'; script-src 'nonce-${nonce}'; style-src vscode-webview://double 'nonce-${nonce}'; img-src vscode-webview://double; font-src vscode-webview://double"`,
    ),
  );
  assert.match(
    html,
    new RegExp(`<script nonce="${nonce}" src="vscode-webview:/ext/dist/webview/details\\.js"></script>`),
  );
  assert.match(html, /href="vscode-webview:\/ext\/dist\/webview\/details\.css"/);
  assert.doesNotMatch(html, /unsafe-|<b>|api-/);
  assert.deepEqual(
    (panel().options.localResourceRoots as Array<{ path: string }>).map((u) => u.path),
    ['/ext/dist/webview', '/ext/media'],
  );
});
