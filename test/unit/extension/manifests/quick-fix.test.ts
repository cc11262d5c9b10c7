import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { planRecommendationEdits, type ManifestEdit } from '../../../../src/core/manifests/index.js';
import { recommendationId } from '../../../../src/core/recommend/recommendation-items.js';
import {
  CodeActionKind,
  Diagnostic,
  DiagnosticSeverity,
  double,
  Range,
  workspace,
  type WorkspaceEditOperation,
} from '../../../support/vscode-double/vscode.js';
import { CONTEXT, FIXTURE_ROWS, idOf, startFeatures, stopFeatures, uri } from './manifest-workspace.js';

beforeEach(() => double.reset());
afterEach(() => stopFeatures());

const APPLY_ONE = 'krrMcp.applyRecommendationToManifest';
const SHOP_APP = idOf('shop', 'Deployment', 'web', 'app');
const STAGING = idOf('staging', 'Deployment', 'staging-web', 'app');

/** What the engine writes for these rows into the double's files as they are now (the reference). */
function engineEdits(ids: string[]): ManifestEdit[] {
  const files = [...double.files].map(([path, text]) => ({ path, text }));
  const { plan } = planRecommendationEdits(files, Object.values(FIXTURE_ROWS), {
    ids,
    idOf: (scan) => recommendationId(CONTEXT, scan),
  });
  return plan!.edits;
}

const op = (o: WorkspaceEditOperation) =>
  o.type === 'createFile'
    ? { create: o.uri.path, options: o.options, metadata: o.metadata }
    : {
        edit: o.uri.path,
        range: [o.range.start.line, o.range.start.character, o.range.end.line, o.range.end.character],
        text: o.newText,
        metadata: o.metadata,
      };

test('a Quick Fix on the resources: line, linked to its diagnostic, runs the apply command', async () => {
  const { actions, diagnostics } = await startFeatures();
  assert.deepEqual(double.codeActionProviders[0]!.metadata, {
    providedCodeActionKinds: [CodeActionKind.QuickFix],
  });
  const shop = double.openDocument(uri('plain/shop.yaml'));
  const ours = [...diagnostics.get(shop.uri)!];
  const foreign = new Diagnostic(new Range(29, 0, 29, 5), 'Incorrect type', DiagnosticSeverity.Error);
  foreign.source = 'yaml';
  const [fix, ...more] = actions(shop, 29, [...ours, foreign]);
  assert.equal(more.length, 0);
  assert.equal(fix!.title, 'Apply krr recommendation to app');
  assert.equal(fix!.kind, CodeActionKind.QuickFix);
  assert.deepEqual(fix!.diagnostics, [ours[0]]);
  assert.equal(fix!.isPreferred, true);
  assert.deepEqual(fix!.command, {
    command: APPLY_ONE,
    title: 'Apply krr recommendation to app',
    arguments: [SHOP_APP],
  });
});

test('offered at a lens without a diagnostic (OK rows), named by workload where the line does not tell', async () => {
  const { actions } = await startFeatures();
  const [cacheFix] = actions(double.openDocument(uri('plain/cache.yaml')), 18);
  assert.equal(cacheFix!.title, 'Apply krr recommendation to redis');
  assert.equal(cacheFix!.diagnostics, undefined);
  assert.equal(cacheFix!.isPreferred, undefined);
  const [baseFix] = actions(double.openDocument(uri('kustomize/base/deployment.yaml')), 18);
  assert.equal(baseFix!.title, 'Apply krr recommendation to app (Deployment staging/staging-web)');
  assert.deepEqual(actions(double.openDocument(uri('plain/shop.yaml')), 30), [], 'nothing on another line');
});

test('nothing for a refactoring request or a document the plan has not read', async () => {
  const { manifests } = await startFeatures();
  const shop = double.openDocument(uri('plain/shop.yaml'));
  const provider = double.codeActionProviders[0]!.provider as {
    provideCodeActions(d: unknown, r: unknown, c: unknown): unknown[];
  };
  assert.deepEqual(
    provider.provideCodeActions(shop, new Range(29, 0, 29, 0), {
      diagnostics: [],
      only: CodeActionKind.Refactor,
    }),
    [],
  );
  double.editDocument(shop, new Range(0, 0, 0, 0), '#\n');
  assert.deepEqual(provider.provideCodeActions(shop, new Range(29, 0, 29, 0), { diagnostics: [] }), []);
  await manifests.settled();
  assert.equal(provider.provideCodeActions(shop, new Range(30, 0, 30, 0), { diagnostics: [] }).length, 1);
});

test('the fix is exactly the engine edit: ranges of the text it was computed from, applied unsaved', async () => {
  await startFeatures();
  const [expected] = engineEdits([SHOP_APP]);
  await double.commands.get(APPLY_ONE)!(SHOP_APP);
  const [applied] = double.appliedEdits;
  assert.equal(applied!.applied, true);
  assert.equal(applied!.metadata, undefined, 'not a refactoring: VS Code does not save it');
  assert.deepEqual(applied!.edit.operations.map(op), [
    { edit: '/ws/plain/shop.yaml', range: [31, 19, 31, 23], text: '120m', metadata: undefined },
    { edit: '/ws/plain/shop.yaml', range: [32, 22, 32, 27], text: '300Mi', metadata: undefined },
    { edit: '/ws/plain/shop.yaml', range: [34, 0, 35, 0], text: '', metadata: undefined },
    { edit: '/ws/plain/shop.yaml', range: [35, 22, 35, 25], text: '300Mi', metadata: undefined },
  ]);
  const document = double.textDocuments.find((d) => d.uri.path === '/ws/plain/shop.yaml')!;
  assert.equal(document.getText(), expected!.after);
  assert.equal(document.isDirty, true);
  assert.equal(double.files.get('/ws/plain/shop.yaml'), expected!.before, 'the disk is untouched');
  assert.deepEqual(double.messages, []);
});

test('a new Kustomize patch: the file is created, filled by an edit, and listed in its kustomization', async () => {
  await startFeatures();
  const expected = engineEdits([STAGING]);
  await double.commands.get(APPLY_ONE)!(STAGING);
  const patch = expected.find((e) => e.created)!;
  assert.equal(patch.path, '/ws/kustomize/overlays/staging/krr-resources-web.yaml');
  assert.deepEqual(double.appliedEdits[0]!.edit.operations.map(op), [
    { create: patch.path, options: { overwrite: false, ignoreIfExists: false }, metadata: undefined },
    { edit: patch.path, range: [0, 0, 0, 0], text: patch.after, metadata: undefined },
    {
      edit: '/ws/kustomize/overlays/staging/kustomization.yaml',
      range: [6, 0, 6, 0],
      text: 'patches:\n  - path: krr-resources-web.yaml\n',
      metadata: undefined,
    },
  ]);
  assert.equal(double.files.get(patch.path), '', 'created empty on disk; its text is an unsaved edit');
  const kustomization = double.textDocuments.find((d) => d.uri.path.endsWith('staging/kustomization.yaml'))!;
  assert.equal(kustomization.getText(), expected.find((e) => !e.created)!.after);
});

test('CRLF files: positions follow VS Code line breaks and the result is the engine text', async () => {
  await startFeatures();
  const lf = double.files.get('/ws/plain/shop.yaml')!;
  double.files.set('/ws/plain/shop.yaml', lf.replaceAll('\n', '\r\n'));
  const ids = [SHOP_APP, idOf('shop', 'Deployment', 'web', 'proxy')];
  const expected = engineEdits(ids).find((e) => e.path === '/ws/plain/shop.yaml')!;
  assert.match(expected.after, /\r\n {14}memory: 64Mi\r\n/, 'the engine keeps CRLF');
  // The disk changed without an event (a checkout): each first plan is stale and is made again.
  for (const id of ids) await double.commands.get(APPLY_ONE)!(id);
  const document = double.textDocuments.find((d) => d.uri.path === '/ws/plain/shop.yaml')!;
  assert.equal(document.getText(), expected.after);
});

test('a file changed on disk since it was read is read and planned again before anything is written', async () => {
  await startFeatures();
  double.files.set('/ws/plain/shop.yaml', `# edited elsewhere\n${double.files.get('/ws/plain/shop.yaml')}`);
  const [expected] = engineEdits([SHOP_APP]);
  await double.commands.get(APPLY_ONE)!(SHOP_APP);
  assert.equal(double.appliedEdits.length, 1);
  assert.deepEqual(op(double.appliedEdits[0]!.edit.operations[0]!).range, [32, 19, 32, 23], 'one line lower');
  assert.equal(
    double.textDocuments.find((d) => d.uri.path.endsWith('shop.yaml'))!.getText(),
    expected!.after,
  );
  assert.ok(
    double.logs.some((l) =>
      l.message.includes('Changed since they were read, planning again: plain/shop.yaml'),
    ),
  );
});

test('a new patch whose name was taken meanwhile gets another name, never overwriting the file', async () => {
  await startFeatures();
  double.files.set('/ws/kustomize/overlays/staging/krr-resources-web.yaml', '# mine\n');
  await double.commands.get(APPLY_ONE)!(STAGING);
  const created = double.appliedEdits[0]!.edit.operations.find((o) => o.type === 'createFile')!;
  assert.equal(created.uri.path, '/ws/kustomize/overlays/staging/krr-resources-web-2.yaml');
  assert.equal(double.files.get('/ws/kustomize/overlays/staging/krr-resources-web.yaml'), '# mine\n');
});

test('files that keep changing: refused after a few attempts, nothing applied', async () => {
  await startFeatures();
  const original = workspace.fs.readFile;
  let reads = 0;
  workspace.fs.readFile = (u) => {
    if (u.path === '/ws/plain/shop.yaml')
      double.files.set(u.path, `# ${reads++}\n${double.files.get(u.path)}`);
    return original(u);
  };
  try {
    await double.commands.get(APPLY_ONE)!(SHOP_APP);
  } finally {
    workspace.fs.readFile = original;
  }
  assert.equal(double.appliedEdits.length, 0);
  assert.deepEqual(
    double.messages.map((m) => [m.level, m.message]),
    [
      [
        'warning',
        'krr-mcp: nothing written: the files kept changing while the edit was being computed; nothing was written',
      ],
    ],
  );
});

test('a row with nothing to write says why, with the details in the log', async () => {
  await startFeatures();
  double.messageAnswers.push('Show Details');
  await double.commands.get(APPLY_ONE)!(idOf('nowhere', 'Deployment', 'ghost', 'x'));
  assert.equal(double.appliedEdits.length, 0);
  assert.deepEqual(
    double.messages.map((m) => m.message),
    ['krr-mcp: nothing to write to the workspace. 1 not found.'],
  );
  assert.ok(
    double.logs.some((l) =>
      l.message.includes(
        'Deployment nowhere/ghost container x: not-found (no file defines Deployment nowhere/ghost)',
      ),
    ),
  );
  assert.deepEqual(double.shownLogs, ['krr-mcp']);
  await double.commands.get(APPLY_ONE)!(42);
  assert.equal(double.messages.length, 1, 'an id that is not a string is ignored');
});
