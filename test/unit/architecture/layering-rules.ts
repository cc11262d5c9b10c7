import { builtinModules } from 'node:module';
import type { ImportTarget, SourceFile } from './module-graph.js';

/** The shared types of the approval panel: the one part of src/ the browser code may import. */
export const PANEL_PROTOCOL = 'src/extension/approval/panel-protocol.ts';

export interface LayerRule {
  /** The files the rule is about: a folder or one file, repo-relative. */
  scope: string;
  /** What the rule says, for the test name and the failure. */
  says: string;
  /** Whether a file in scope may import `target`. */
  allows(target: Exclude<ImportTarget, { kind: 'unresolved' }>): boolean;
}

const isUnder = (path: string, scope: string) => path === scope || path.startsWith(`${scope}/`);
const isNodeBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

/** Neither these packages nor any module under these folders. */
function forbidding(packages: string[], folders: string[]): LayerRule['allows'] {
  return (target) =>
    target.kind === 'package'
      ? !packages.includes(target.name)
      : !folders.some((folder) => isUnder(target.path, folder));
}

/**
 * Browser code: npm packages (bundled), but not `vscode` (it exists only in the extension host) nor
 * Node built-ins (they do not exist in a webview).
 */
function browserSafe(modules: (path: string) => boolean): LayerRule['allows'] {
  return (target) =>
    target.kind === 'package'
      ? target.name !== 'vscode' && !isNodeBuiltin(target.name)
      : modules(target.path);
}

export const LAYER_RULES: LayerRule[] = [
  {
    // The engine runs in the CLI, the MCP server and CI, where none of these exist or make sense.
    scope: 'src/core',
    says: 'imports nothing from vscode, src/extension, src/mcp, src/cli or src/demo',
    allows: forbidding(['vscode'], ['src/extension', 'src/mcp', 'src/cli', 'src/demo']),
  },
  {
    // The MCP server is a separate process spawned by the extension (or by any MCP client).
    scope: 'src/mcp',
    says: 'imports nothing from vscode or src/extension',
    allows: forbidding(['vscode'], ['src/extension']),
  },
  {
    scope: 'src/cli',
    says: 'imports nothing from vscode or src/extension',
    allows: forbidding(['vscode'], ['src/extension']),
  },
  {
    // `krr-mcp demo` is part of the CLI.
    scope: 'src/demo',
    says: 'imports nothing from vscode or src/extension',
    allows: forbidding(['vscode'], ['src/extension']),
  },
  {
    // Anything else from src/ would drag extension-host code (and its secrets' handling) into the page.
    scope: 'webview',
    says: 'imports only its own files, the panel protocol and browser-safe npm packages',
    allows: browserSafe((path) => isUnder(path, 'webview') || path === PANEL_PROTOCOL),
  },
  {
    // It is bundled into the webview, so what it imports is imported by the webview too.
    scope: PANEL_PROTOCOL,
    says: 'imports only browser-safe npm packages',
    allows: browserSafe(() => false),
  },
];

function describeTarget(target: ImportTarget): string {
  if (target.kind === 'module') return target.path;
  if (target.kind === 'package') return `the package "${target.name}"`;
  return `"${target.specifier}", which names no file`;
}

/** One line per import that breaks a rule: `<file> imports <target>: <scope> <says>`. */
export function layeringViolations(files: SourceFile[], rules: LayerRule[] = LAYER_RULES): string[] {
  const violations: string[] = [];
  for (const rule of rules) {
    for (const file of files.filter((f) => isUnder(f.path, rule.scope))) {
      for (const target of file.imports) {
        if (target.kind !== 'unresolved' && rule.allows(target)) continue;
        violations.push(`${file.path} imports ${describeTarget(target)}: ${rule.scope} ${rule.says}`);
      }
    }
  }
  return violations;
}

/** Scopes no file falls in: a renamed or removed folder must fail the test, not pass it unchecked. */
export function emptyScopes(files: SourceFile[], rules: LayerRule[] = LAYER_RULES): string[] {
  return rules.map((rule) => rule.scope).filter((scope) => !files.some((f) => isUnder(f.path, scope)));
}
