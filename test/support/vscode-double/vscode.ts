// A small, honest stand-in for the `vscode` module in unit tests: the API surface the extension uses,
// with state a test can inspect (`double`) and answers a test can script (modal buttons, quick picks).
// It implements no VS Code behaviour beyond what the extension relies on; end-to-end tests use the real
// workbench (code-server).

type Listener<T> = (event: T) => unknown;

export class Disposable {
  constructor(private readonly onDispose: () => void = () => {}) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) listener(event);
  }
  dispose(): void {
    this.listeners = [];
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(text: string): Uri {
    const match = /^([a-z][a-z0-9+.-]*):(\/\/[^/]*)?([^?#]*)(\?[^#]*)?/i.exec(text);
    return new Uri(match?.[1] ?? 'file', match?.[3] ?? text, match?.[4]?.slice(1) ?? '');
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join('/').replace(/\/+/g, '/'), base.query);
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { query?: string; path?: string }): Uri {
    return new Uri(this.scheme, change.path ?? this.path, change.query ?? this.query);
  }
  toString(): string {
    return `${this.scheme}:${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class RelativePattern {
  readonly baseUri: Uri;
  constructor(
    base: Uri | string,
    readonly pattern: string,
  ) {
    this.baseUri = typeof base === 'string' ? Uri.file(base) : base;
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {
    if (line < 0 || character < 0)
      throw new Error('Illegal argument: line and character must be non-negative');
  }
  isEqual(other: Position): boolean {
    return this.line === other.line && this.character === other.character;
  }
  isBefore(other: Position): boolean {
    return this.line < other.line || (this.line === other.line && this.character < other.character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position);
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number);
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const start = typeof a === 'number' ? new Position(a, b as number) : a;
    const end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
    // Like VS Code: start is always before or equal to end.
    [this.start, this.end] = end.isBefore(start) ? [end, start] : [start, end];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  contains(position: Position): boolean {
    return !position.isBefore(this.start) && !this.end.isBefore(position);
  }
}

export class Selection extends Range {
  readonly anchor: Position;
  readonly active: Position;
  constructor(anchorLine: number, anchorCharacter: number, activeLine: number, activeCharacter: number) {
    super(anchorLine, anchorCharacter, activeLine, activeCharacter);
    this.anchor = new Position(anchorLine, anchorCharacter);
    this.active = new Position(activeLine, activeCharacter);
  }
}

export enum EndOfLine {
  LF = 1,
  CRLF = 2,
}

/**
 * An open document. Lines end at "\r\n", "\r" or "\n", as in VS Code; offsets and characters are
 * UTF-16 code units.
 */
export class TextDocumentDouble {
  version = 1;
  isDirty = false;
  isClosed = false;
  constructor(
    readonly uri: Uri,
    private text: string,
    readonly languageId = 'yaml',
  ) {}
  get fileName(): string {
    return this.uri.fsPath;
  }
  getText(): string {
    return this.text;
  }
  private lineStarts(): number[] {
    const starts = [0];
    for (const match of this.text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
    return starts;
  }
  get lineCount(): number {
    return this.lineStarts().length;
  }
  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    const line = Math.min(position.line, starts.length - 1);
    const start = starts[line]!;
    const next = starts[line + 1];
    const end =
      next === undefined ? this.text.length : next - (/\r\n$/.test(this.text.slice(start, next)) ? 2 : 1);
    return Math.min(start + position.character, end);
  }
  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1]! <= clamped) line++;
    return new Position(line, clamped - starts[line]!);
  }
  lineAt(line: number): { text: string; range: Range } {
    const starts = this.lineStarts();
    const start = starts[line]!;
    const end = this.offsetAt(new Position(line, Number.MAX_SAFE_INTEGER));
    return { text: this.text.slice(start, end), range: new Range(line, 0, line, end - start) };
  }
  /** What VS Code does for an edit: replace the range, bump the version, mark dirty. */
  replace(range: Range, text: string): void {
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    this.text = this.text.slice(0, start) + text + this.text.slice(end);
    this.version++;
    this.isDirty = true;
  }
}

export class CodeLens {
  constructor(
    public range: Range,
    public command?: { command: string; title: string; arguments?: unknown[] },
  ) {}
  get isResolved(): boolean {
    return this.command !== undefined;
  }
}

export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export class Diagnostic {
  source?: string;
  code?: string | number;
  constructor(
    public range: Range,
    public message: string,
    public severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class DiagnosticCollectionDouble {
  private readonly entries = new Map<string, { uri: Uri; diagnostics: Diagnostic[] }>();
  disposed = false;
  constructor(readonly name: string) {}
  set(uri: Uri, diagnostics: readonly Diagnostic[] | undefined): void {
    if (!diagnostics || diagnostics.length === 0) this.entries.delete(uri.toString());
    else this.entries.set(uri.toString(), { uri, diagnostics: [...diagnostics] });
  }
  get(uri: Uri): readonly Diagnostic[] | undefined {
    return this.entries.get(uri.toString())?.diagnostics;
  }
  has(uri: Uri): boolean {
    return this.entries.has(uri.toString());
  }
  delete(uri: Uri): void {
    this.entries.delete(uri.toString());
  }
  clear(): void {
    this.entries.clear();
  }
  forEach(callback: (uri: Uri, diagnostics: readonly Diagnostic[]) => void): void {
    for (const { uri, diagnostics } of this.entries.values()) callback(uri, diagnostics);
  }
  dispose(): void {
    this.entries.clear();
    this.disposed = true;
  }
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
}

export class CodeAction {
  diagnostics?: Diagnostic[];
  isPreferred?: boolean;
  command?: { command: string; title: string; arguments?: unknown[] };
  edit?: WorkspaceEdit;
  constructor(
    public title: string,
    public kind?: CodeActionKind,
  ) {}
}

export interface WorkspaceEditEntryMetadata {
  needsConfirmation: boolean;
  label: string;
  description?: string;
}

/** One operation of a WorkspaceEdit, in the order it was added (VS Code applies them in that order). */
export type WorkspaceEditOperation =
  | {
      type: 'createFile';
      uri: Uri;
      options?: { overwrite?: boolean; ignoreIfExists?: boolean; contents?: Uint8Array };
      metadata?: WorkspaceEditEntryMetadata;
    }
  | { type: 'text'; uri: Uri; range: Range; newText: string; metadata?: WorkspaceEditEntryMetadata };

export class WorkspaceEdit {
  readonly operations: WorkspaceEditOperation[] = [];
  get size(): number {
    return new Set(this.operations.map((o) => o.uri.toString())).size;
  }
  replace(uri: Uri, range: Range, newText: string, metadata?: WorkspaceEditEntryMetadata): void {
    this.operations.push({ type: 'text', uri, range, newText, ...(metadata ? { metadata } : {}) });
  }
  insert(uri: Uri, position: Position, newText: string, metadata?: WorkspaceEditEntryMetadata): void {
    this.replace(uri, new Range(position, position), newText, metadata);
  }
  delete(uri: Uri, range: Range, metadata?: WorkspaceEditEntryMetadata): void {
    this.replace(uri, range, '', metadata);
  }
  createFile(
    uri: Uri,
    options?: { overwrite?: boolean; ignoreIfExists?: boolean; contents?: Uint8Array },
    metadata?: WorkspaceEditEntryMetadata,
  ): void {
    this.operations.push({
      type: 'createFile',
      uri,
      ...(options ? { options } : {}),
      ...(metadata ? { metadata } : {}),
    });
  }
  has(uri: Uri): boolean {
    return this.operations.some((o) => o.uri.toString() === uri.toString());
  }
  get(uri: Uri): Array<{ range: Range; newText: string }> {
    return this.operations
      .filter((o) => o.type === 'text' && o.uri.toString() === uri.toString())
      .map((o) => ({ range: (o as { range: Range }).range, newText: (o as { newText: string }).newText }));
  }
  entries(): Array<[Uri, Array<{ range: Range; newText: string }>]> {
    const uris = new Map(this.operations.map((o) => [o.uri.toString(), o.uri]));
    return [...uris.values()].map((uri) => [uri, this.get(uri)]);
  }
}

export class FileSystemError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
  static FileNotFound(uri?: Uri): FileSystemError {
    return new FileSystemError(`${uri?.toString() ?? 'file'} not found`, 'FileNotFound');
  }
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
}

/** Glob as VS Code reads it (`**`, `*`, `?`, `{a,b}`), matched against a folder-relative path. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',') out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export class MarkdownString {
  value = '';
  isTrusted = false;
  supportThemeIcons = false;
  supportHtml = false;
  constructor(value = '') {
    this.value = value;
  }
  appendText(text: string): this {
    // Escapes Markdown like VS Code does, so cluster names stay text.
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    return this;
  }
  appendMarkdown(markdown: string): this {
    this.value += markdown;
    return this;
  }
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string | MarkdownString;
  iconPath?: ThemeIcon;
  contextValue?: string;
  resourceUri?: Uri;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(
    public label: string,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {}
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export class McpStdioServerDefinition {
  cwd?: Uri;
  constructor(
    readonly label: string,
    public command: string,
    public args: string[] = [],
    public env: Record<string, string | number | null> = {},
    public version?: string,
  ) {}
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {}
}

/** What the extension did, for assertions; and what the "person" will answer, for scripting. */
export const double = {
  messages: [] as Array<{
    level: 'info' | 'warning' | 'error';
    message: string;
    modal: boolean;
    detail?: string;
    /** The buttons offered, in order. */
    buttons: string[];
  }>,
  /**
   * Answers popped by show*Message calls that offer buttons (undefined = dismissed). A promise keeps the
   * dialog open until the test settles it, for what happens while a modal is up.
   */
  messageAnswers: [] as Array<string | undefined | PromiseLike<string | undefined>>,
  quickPickAnswers: [] as unknown[],
  /** Every withProgress shown: its title, and its Cancel button for the test to press. */
  progress: [] as Array<{ title: string; cancel(): void }>,
  /** What each quick pick offered, for assertions. */
  quickPicks: [] as Array<{ items: unknown; options: unknown }>,
  inputBoxAnswers: [] as Array<string | undefined>,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as Array<{ command: string; args: unknown[] }>,
  configuration: new Map<string, unknown>(),
  configurationListeners: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  logs: [] as Array<{ level: string; message: string }>,
  /** Output channels brought to the front (`show()`), by name. */
  shownLogs: [] as string[],
  mcpProviders: new Map<string, unknown>(),
  panels: [] as WebviewPanelDouble[],
  treeViews: new Map<string, TreeViewDouble>(),
  statusBarItems: [] as StatusBarItemDouble[],
  openedDocuments: [] as Array<{ language?: string; content?: string; uri?: Uri }>,
  contentProviders: new Map<string, { provideTextDocumentContent(uri: Uri): string | Promise<string> }>(),
  /** Other installed extensions, by id, for `extensions.getExtension`. */
  extensions: new Map<string, ExtensionDouble>(),
  /** Every file system watcher created, with what it watches; a test fires its events. */
  fileWatchers: [] as FileSystemWatcherDouble[],
  /** The workspace folders; files below them are found by `workspace.findFiles`. */
  workspaceFolders: [] as Array<{ uri: Uri; name: string; index: number }>,
  /** The disk, by absolute path: what `workspace.fs` and `findFiles` see. */
  files: new Map<string, string>(),
  /** Every `findFiles` call, for assertions on the pattern and the cap. */
  findFilesCalls: [] as Array<{ include: string; exclude: string | null | undefined; maxResults?: number }>,
  textDocuments: [] as TextDocumentDouble[],
  documentOpened: new EventEmitter<TextDocumentDouble>(),
  documentClosed: new EventEmitter<TextDocumentDouble>(),
  documentChanged: new EventEmitter<{
    document: TextDocumentDouble;
    contentChanges: unknown[];
    reason: undefined;
  }>(),
  codeLensProviders: [] as Array<{ selector: unknown; provider: unknown }>,
  codeActionProviders: [] as Array<{ selector: unknown; provider: unknown; metadata: unknown }>,
  diagnosticCollections: [] as DiagnosticCollectionDouble[],
  /** Every `workspace.applyEdit`, with its metadata and whether it was applied. */
  appliedEdits: [] as Array<{ edit: WorkspaceEdit; metadata: unknown; applied: boolean }>,
  /**
   * What the person does in the refactor preview VS Code shows for an edit with an entry that needs
   * confirmation: 'apply' (default) or 'discard' (then `applyEdit` answers false and nothing changes).
   */
  previewAnswers: [] as Array<'apply' | 'discard'>,
  /** Opens a document as VS Code would when a person opens the file (its text from disk unless given). */
  openDocument(uri: Uri, text?: string, languageId = 'yaml'): TextDocumentDouble {
    const existing = this.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (existing) return existing;
    const document = new TextDocumentDouble(uri, text ?? this.files.get(uri.path) ?? '', languageId);
    this.textDocuments.push(document);
    this.documentOpened.fire(document);
    return document;
  },
  /** A person typing: the range's text replaced, the version bumped, onDidChangeTextDocument fired. */
  editDocument(document: TextDocumentDouble, range: Range, text: string): void {
    document.replace(range, text);
    this.documentChanged.fire({ document, contentChanges: [{ range, text }], reason: undefined });
  },
  closeDocument(document: TextDocumentDouble): void {
    this.textDocuments = this.textDocuments.filter((d) => d !== document);
    document.isClosed = true;
    this.documentClosed.fire(document);
  },
  reset(): void {
    this.progress.length = 0;
    this.messages.length = 0;
    this.messageAnswers.length = 0;
    this.quickPickAnswers.length = 0;
    this.quickPicks.length = 0;
    this.inputBoxAnswers.length = 0;
    this.commands.clear();
    this.executed.length = 0;
    this.configuration.clear();
    this.logs.length = 0;
    this.shownLogs.length = 0;
    this.mcpProviders.clear();
    this.panels.length = 0;
    this.treeViews.clear();
    this.statusBarItems.length = 0;
    this.openedDocuments.length = 0;
    this.contentProviders.clear();
    this.extensions.clear();
    this.fileWatchers.length = 0;
    this.workspaceFolders.length = 0;
    this.files.clear();
    this.findFilesCalls.length = 0;
    this.textDocuments = [];
    this.documentOpened.dispose();
    this.documentClosed.dispose();
    this.documentChanged.dispose();
    this.codeLensProviders.length = 0;
    this.codeActionProviders.length = 0;
    this.diagnosticCollections.length = 0;
    this.appliedEdits.length = 0;
    this.previewAnswers.length = 0;
  },
};

/** An installed extension: `activate()` runs the script (or throws what it throws) once, like VS Code. */
export class ExtensionDouble {
  isActive = false;
  exports: unknown = undefined;
  activations = 0;
  constructor(
    readonly id: string,
    private readonly activation: () => unknown,
  ) {}
  async activate(): Promise<unknown> {
    if (this.isActive) return this.exports;
    this.activations++;
    this.exports = await this.activation();
    this.isActive = true;
    return this.exports;
  }
}

export class FileSystemWatcherDouble {
  private readonly changed = new EventEmitter<Uri>();
  private readonly created = new EventEmitter<Uri>();
  private readonly deleted = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  readonly onDidCreate = this.created.event;
  readonly onDidDelete = this.deleted.event;
  disposed = false;
  constructor(readonly pattern: string | RelativePattern) {}
  /** The absolute path (or glob) watched. */
  get watched(): string {
    return typeof this.pattern === 'string'
      ? this.pattern
      : `${this.pattern.baseUri.fsPath.replace(/\/$/, '')}/${this.pattern.pattern}`;
  }
  /** Whether a file event for this URI reaches this watcher (a glob is matched in every workspace folder). */
  matches(uri: Uri): boolean {
    if (typeof this.pattern !== 'string') {
      const base = this.pattern.baseUri.path.replace(/\/$/, '');
      return (
        uri.path.startsWith(`${base}/`) &&
        globToRegExp(this.pattern.pattern).test(uri.path.slice(base.length + 1))
      );
    }
    const folder = folderOf(uri);
    const relative = folder ? uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1) : uri.path;
    return globToRegExp(this.pattern).test(relative);
  }
  fire(kind: 'change' | 'create' | 'delete', uri: Uri = Uri.file(this.watched)): void {
    ({ change: this.changed, create: this.created, delete: this.deleted })[kind].fire(uri);
  }
  dispose(): void {
    this.disposed = true;
  }
}

export class WebviewDouble {
  html = '';
  options: Record<string, unknown> = {};
  readonly cspSource = 'vscode-webview://double';
  readonly posted: unknown[] = [];
  private readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(uri: Uri): Uri {
    return Uri.parse(`vscode-webview://double${uri.path}`);
  }
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(message);
    return Promise.resolve(true);
  }
  /** A test plays the webview's script: a message as if the page posted it. */
  simulateMessage(message: unknown): void {
    this.received.fire(message);
  }
}

export class WebviewPanelDouble {
  readonly webview = new WebviewDouble();
  visible = true;
  active = true;
  disposed = false;
  private readonly disposeEmitter = new EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly viewStateEmitter = new EventEmitter<{ webviewPanel: WebviewPanelDouble }>();
  readonly onDidChangeViewState = this.viewStateEmitter.event;
  constructor(
    readonly viewType: string,
    public title: string,
    readonly showOptions: unknown,
    readonly options: Record<string, unknown>,
  ) {
    this.webview.options = options;
  }
  reveal(): void {
    this.visible = true;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.visible = false;
    this.disposeEmitter.fire();
  }
}

export class TreeViewDouble {
  message?: string;
  badge?: { value: number; tooltip: string };
  title?: string;
  description?: string;
  visible = true;
  constructor(
    readonly id: string,
    readonly options: { treeDataProvider: unknown; showCollapseAll?: boolean; canSelectMany?: boolean },
  ) {}
  reveal(): Promise<void> {
    return Promise.resolve();
  }
  dispose(): void {}
}

export class StatusBarItemDouble {
  text = '';
  tooltip?: string;
  command?: string;
  visible = false;
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {}
}

function logChannel(name: string) {
  const log = (level: string) => (message: string) =>
    double.logs.push({ level, message: `[${name}] ${message}` });
  return {
    name,
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    appendLine: log('info'),
    show: () => void double.shownLogs.push(name),
    dispose: () => {},
  };
}

function message(level: 'info' | 'warning' | 'error') {
  return (text: string, ...rest: unknown[]): Promise<string | undefined> => {
    const options =
      typeof rest[0] === 'object' && rest[0] !== null
        ? (rest[0] as { modal?: boolean; detail?: string })
        : undefined;
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    double.messages.push({
      level,
      message: text,
      modal: options?.modal === true,
      ...(options?.detail ? { detail: options.detail } : {}),
      buttons,
    });
    return Promise.resolve(buttons.length > 0 ? double.messageAnswers.shift() : undefined);
  };
}

export const window = {
  createOutputChannel: (name: string) => logChannel(name),
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  showQuickPick: (items: unknown, options?: unknown) => {
    double.quickPicks.push({ items, options });
    return Promise.resolve(double.quickPickAnswers.length > 0 ? double.quickPickAnswers.shift() : undefined);
  },
  showInputBox: () => Promise.resolve(double.inputBoxAnswers.shift()),
  withProgress: <T>(
    options: { title?: string },
    task: (progress: { report(value: unknown): void }, token: CancellationTokenSource['token']) => Promise<T>,
  ) => {
    const source = new CancellationTokenSource();
    double.progress.push({ title: options.title ?? '', cancel: () => source.cancel() });
    return task({ report: () => {} }, source.token);
  },
  createTreeView: (id: string, options: TreeViewDouble['options']) => {
    const view = new TreeViewDouble(id, options);
    double.treeViews.set(id, view);
    return view;
  },
  registerTreeDataProvider: (id: string, provider: unknown) => {
    double.treeViews.set(id, new TreeViewDouble(id, { treeDataProvider: provider }));
    return new Disposable();
  },
  createWebviewPanel: (
    viewType: string,
    title: string,
    showOptions: unknown,
    options: Record<string, unknown> = {},
  ) => {
    const panel = new WebviewPanelDouble(viewType, title, showOptions, options);
    double.panels.push(panel);
    return panel;
  },
  createStatusBarItem: () => {
    const item = new StatusBarItemDouble();
    double.statusBarItems.push(item);
    return item;
  },
  showTextDocument: () => Promise.resolve(undefined),
  registerFileDecorationProvider: () => new Disposable(),
};

export const commands = {
  registerCommand: (command: string, callback: (...args: unknown[]) => unknown) => {
    double.commands.set(command, callback);
    return new Disposable(() => double.commands.delete(command));
  },
  executeCommand: async (command: string, ...args: unknown[]) => {
    double.executed.push({ command, args });
    return double.commands.get(command)?.(...args);
  },
};

export const workspace = {
  getConfiguration: (section?: string) => ({
    get: <T>(key: string, fallback?: T): T | undefined => {
      const full = section ? `${section}.${key}` : key;
      return double.configuration.has(full) ? (double.configuration.get(full) as T) : fallback;
    },
    update: (key: string, value: unknown) => {
      double.configuration.set(section ? `${section}.${key}` : key, value);
      return Promise.resolve();
    },
  }),
  onDidChangeConfiguration: double.configurationListeners.event,
  openTextDocument: (options: { language?: string; content?: string } | Uri) => {
    const doc = options instanceof Uri ? { uri: options } : options;
    double.openedDocuments.push(doc);
    return Promise.resolve({ ...doc, getText: () => ('content' in doc ? (doc.content ?? '') : '') });
  },
  registerTextDocumentContentProvider: (
    scheme: string,
    provider: { provideTextDocumentContent(uri: Uri): string | Promise<string> },
  ) => {
    double.contentProviders.set(scheme, provider);
    return new Disposable(() => double.contentProviders.delete(scheme));
  },
  createFileSystemWatcher: (pattern: string | RelativePattern) => {
    const watcher = new FileSystemWatcherDouble(pattern);
    double.fileWatchers.push(watcher);
    return watcher;
  },
  get workspaceFolders() {
    return double.workspaceFolders.length > 0 ? [...double.workspaceFolders] : undefined;
  },
  get textDocuments() {
    return [...double.textDocuments];
  },
  onDidOpenTextDocument: double.documentOpened.event,
  onDidCloseTextDocument: double.documentClosed.event,
  onDidChangeTextDocument: double.documentChanged.event,
  getWorkspaceFolder: (uri: Uri) => folderOf(uri),
  asRelativePath: (pathOrUri: string | Uri, includeWorkspaceFolder?: boolean) => {
    const path = typeof pathOrUri === 'string' ? pathOrUri : pathOrUri.path;
    const folder = folderOf(Uri.file(path));
    if (!folder) return path;
    const relative = path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
    const withFolder = includeWorkspaceFolder ?? double.workspaceFolders.length > 1;
    return withFolder ? `${folder.name}/${relative}` : relative;
  },
  /** Files on the double's disk below a workspace folder whose folder-relative path matches. */
  findFiles: (include: string, exclude?: string | null, maxResults?: number) => {
    double.findFilesCalls.push({ include, exclude, ...(maxResults !== undefined ? { maxResults } : {}) });
    const included = globToRegExp(include);
    const excluded = exclude ? globToRegExp(exclude) : undefined;
    const found: Uri[] = [];
    for (const path of [...double.files.keys()].sort()) {
      const folder = folderOf(Uri.file(path));
      if (!folder) continue;
      const relative = path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
      if (!included.test(relative) || excluded?.test(relative)) continue;
      if (maxResults !== undefined && found.length >= maxResults) break;
      found.push(Uri.file(path));
    }
    return Promise.resolve(found);
  },
  fs: {
    stat: (uri: Uri) => {
      const text = double.files.get(uri.path);
      if (text === undefined) return Promise.reject(FileSystemError.FileNotFound(uri));
      return Promise.resolve({
        type: FileType.File,
        size: new TextEncoder().encode(text).length,
        ctime: 0,
        mtime: 0,
      });
    },
    readFile: (uri: Uri) => {
      const text = double.files.get(uri.path);
      if (text === undefined) return Promise.reject(FileSystemError.FileNotFound(uri));
      return Promise.resolve(new TextEncoder().encode(text));
    },
  },
  /**
   * Applies like VS Code: an entry that needs confirmation first goes through the refactor preview
   * (`double.previewAnswers`); file creations write an empty file to disk (and file watchers hear of
   * it); text edits change the open document, or open one (dirty, not saved) for a file that was not
   * open, and fire onDidChangeTextDocument.
   */
  applyEdit: (edit: WorkspaceEdit, metadata?: { isRefactoring?: boolean }) => {
    const needsPreview = edit.operations.some((o) => o.metadata?.needsConfirmation);
    if (needsPreview && (double.previewAnswers.shift() ?? 'apply') === 'discard') {
      double.appliedEdits.push({ edit, metadata, applied: false });
      return Promise.resolve(false);
    }
    for (const operation of edit.operations) {
      if (operation.type === 'createFile') {
        const exists = double.files.has(operation.uri.path);
        if (exists && !operation.options?.overwrite && !operation.options?.ignoreIfExists) {
          double.appliedEdits.push({ edit, metadata, applied: false });
          return Promise.resolve(false);
        }
        if (!exists || operation.options?.overwrite) {
          double.files.set(operation.uri.path, new TextDecoder().decode(operation.options?.contents));
          for (const watcher of double.fileWatchers)
            if (watcher.matches(operation.uri)) watcher.fire('create', operation.uri);
        }
      }
    }
    const byUri = new Map<string, Array<{ uri: Uri; range: Range; newText: string }>>();
    for (const operation of edit.operations)
      if (operation.type === 'text')
        byUri.set(operation.uri.toString(), [...(byUri.get(operation.uri.toString()) ?? []), operation]);
    for (const [, edits] of byUri) {
      const uri = edits[0]!.uri;
      const document = double.openDocument(uri);
      // From the end, so that earlier ranges stay valid (VS Code applies one file's edits at once).
      const sorted = [...edits].sort(
        (a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start),
      );
      for (const { range, newText } of sorted) document.replace(range, newText);
      double.documentChanged.fire({ document, contentChanges: sorted, reason: undefined });
    }
    double.appliedEdits.push({ edit, metadata, applied: true });
    return Promise.resolve(true);
  },
};

/** Like VS Code: the folder that contains the URI, same scheme (a `git:` URI is in no folder). */
function folderOf(uri: Uri) {
  return double.workspaceFolders.find(
    (f) =>
      f.uri.scheme === uri.scheme &&
      (uri.path === f.uri.path || uri.path.startsWith(`${f.uri.path.replace(/\/$/, '')}/`)),
  );
}

export const languages = {
  registerCodeLensProvider: (selector: unknown, provider: unknown) => {
    const entry = { selector, provider };
    double.codeLensProviders.push(entry);
    return new Disposable(
      () => (double.codeLensProviders = double.codeLensProviders.filter((e) => e !== entry)),
    );
  },
  registerCodeActionsProvider: (selector: unknown, provider: unknown, metadata?: unknown) => {
    const entry = { selector, provider, metadata };
    double.codeActionProviders.push(entry);
    return new Disposable(
      () => (double.codeActionProviders = double.codeActionProviders.filter((e) => e !== entry)),
    );
  },
  createDiagnosticCollection: (name = '') => {
    const collection = new DiagnosticCollectionDouble(name);
    double.diagnosticCollections.push(collection);
    return collection;
  },
};

export const lm = {
  registerMcpServerDefinitionProvider: (id: string, provider: unknown) => {
    double.mcpProviders.set(id, provider);
    return new Disposable(() => double.mcpProviders.delete(id));
  },
};

export const env = {
  openExternal: () => Promise.resolve(true),
};

export const extensions = {
  getExtension: (id: string) => double.extensions.get(id),
};

export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}

export const version = '1.101.0';
