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
  }>,
  /**
   * Answers popped by show*Message calls that offer buttons (undefined = dismissed). A promise keeps the
   * dialog open until the test settles it, for what happens while a modal is up.
   */
  messageAnswers: [] as Array<string | undefined | PromiseLike<string | undefined>>,
  quickPickAnswers: [] as unknown[],
  inputBoxAnswers: [] as Array<string | undefined>,
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as Array<{ command: string; args: unknown[] }>,
  configuration: new Map<string, unknown>(),
  configurationListeners: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  logs: [] as Array<{ level: string; message: string }>,
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
  reset(): void {
    this.messages.length = 0;
    this.messageAnswers.length = 0;
    this.quickPickAnswers.length = 0;
    this.inputBoxAnswers.length = 0;
    this.commands.clear();
    this.executed.length = 0;
    this.configuration.clear();
    this.logs.length = 0;
    this.mcpProviders.clear();
    this.panels.length = 0;
    this.treeViews.clear();
    this.statusBarItems.length = 0;
    this.openedDocuments.length = 0;
    this.contentProviders.clear();
    this.extensions.clear();
    this.fileWatchers.length = 0;
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
    show: () => {},
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
    });
    return Promise.resolve(buttons.length > 0 ? double.messageAnswers.shift() : undefined);
  };
}

export const window = {
  createOutputChannel: (name: string) => logChannel(name),
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  showQuickPick: (items: unknown) =>
    Promise.resolve(
      double.quickPickAnswers.length > 0
        ? double.quickPickAnswers.shift()
        : Array.isArray(items)
          ? undefined
          : undefined,
    ),
  showInputBox: () => Promise.resolve(double.inputBoxAnswers.shift()),
  withProgress: <T>(
    _options: unknown,
    task: (progress: { report(value: unknown): void }, token: CancellationTokenSource['token']) => Promise<T>,
  ) => task({ report: () => {} }, new CancellationTokenSource().token),
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
