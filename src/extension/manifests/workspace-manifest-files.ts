import { posix } from 'node:path';
import * as vscode from 'vscode';
import {
  DEFAULT_MAX_FILE_BYTES,
  DEFAULT_MAX_FILES,
  isManifestFileName,
  type FileError,
  type ManifestFile,
} from '../../core/manifests/index.js';
import { readCurrentText } from './current-text.js';

/**
 * What the engine reads: YAML, Kustomize's extension-less `Kustomization`, and Helm templates' `.tpl`
 * helpers (filtered by `isManifestFileName`, which keeps `.tpl` only under `templates/`).
 */
export const MANIFEST_GLOB = '**/{*.yaml,*.yml,Kustomization,*.tpl}';
/** Dependencies and version control hold no manifests and can be huge. */
export const EXCLUDED_GLOB = '{**/node_modules/**,**/.git/**}';

export interface FileLimits {
  maxFiles: number;
  maxFileBytes: number;
}

const READ_BATCH = 32;

/**
 * The workspace's manifest files as last read, by URI path (the path the engine is given). Files are read
 * again only when marked (`touch`), so a refresh after one keystroke reads one file.
 */
export class WorkspaceManifestFiles {
  private readonly entries = new Map<string, { uri: vscode.Uri; text: string }>();
  private readonly errors = new Map<string, FileError>();
  private readonly dirty = new Map<string, vscode.Uri>();
  private loaded = false;
  private forgotten = false;
  private capError: FileError | undefined;

  constructor(
    private readonly limits: FileLimits = {
      maxFiles: DEFAULT_MAX_FILES,
      maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    },
  ) {}

  /**
   * Whether a file is one this model follows: a manifest name, in a workspace folder and of its scheme
   * (a `git:` document of the same path is an old version, not the file), not in node_modules or .git.
   */
  static follows(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return (
      folder?.uri.scheme === uri.scheme &&
      isManifestFileName(uri.path) &&
      !/(^|\/)(node_modules|\.git)\//.test(uri.path)
    );
  }

  /** Read this file again at the next update (created, changed on disk, typed into, closed unsaved). */
  touch(uri: vscode.Uri): void {
    if (!this.entries.has(uri.path) && this.entries.size >= this.limits.maxFiles) return;
    this.dirty.set(uri.path, uri);
  }

  forget(uri: vscode.Uri): void {
    this.dirty.delete(uri.path);
    this.forgotten = this.entries.delete(uri.path) || this.forgotten;
    this.errors.delete(uri.path);
  }

  /** Reads everything the first time, then only what was touched. Returns whether anything changed. */
  async update(): Promise<boolean> {
    if (!this.loaded) {
      this.loaded = true;
      this.dirty.clear();
      await this.readAll(await this.find());
      return true;
    }
    const touched = [...this.dirty.values()];
    const forgotten = this.forgotten;
    this.dirty.clear();
    this.forgotten = false;
    const before = touched.map((uri) => this.entries.get(uri.path)?.text);
    await this.readAll(touched);
    return forgotten || touched.some((uri, i) => this.entries.get(uri.path)?.text !== before[i]);
  }

  files(): ManifestFile[] {
    return [...this.entries.keys()].sort().map((path) => ({ path, text: this.entries.get(path)!.text }));
  }

  textOf(path: string): string | undefined {
    return this.entries.get(path)?.text;
  }

  fileErrors(): FileError[] {
    return [...(this.capError ? [this.capError] : []), ...this.errors.values()];
  }

  /**
   * The URI of a path the engine names: a file it read, or a file it creates, which is always next to a
   * file it read (a new Kustomize patch beside its kustomization), so it takes that file's scheme and
   * authority.
   */
  uriFor(path: string): vscode.Uri | undefined {
    const known = this.entries.get(path)?.uri;
    if (known) return known;
    const directory = posix.dirname(path);
    for (const { uri } of this.entries.values())
      if (posix.dirname(uri.path) === directory) return uri.with({ path });
    return undefined;
  }

  private async find(): Promise<vscode.Uri[]> {
    const { maxFiles } = this.limits;
    // One more than the cap, to know whether the cap was reached.
    const found = await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDED_GLOB, maxFiles + 1);
    const manifests = found
      .filter((uri) => isManifestFileName(uri.path))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    this.capError =
      manifests.length > maxFiles
        ? { path: '(workspace)', message: `more than ${maxFiles} manifest files; the rest were not read` }
        : undefined;
    return manifests.slice(0, maxFiles);
  }

  private async readAll(uris: readonly vscode.Uri[]): Promise<void> {
    for (let i = 0; i < uris.length; i += READ_BATCH) {
      const batch = uris.slice(i, i + READ_BATCH);
      const texts = await Promise.all(batch.map((uri) => readCurrentText(uri, this.limits.maxFileBytes)));
      batch.forEach((uri, j) => {
        const read = texts[j]!;
        this.errors.delete(uri.path);
        if ('text' in read) this.entries.set(uri.path, { uri, text: read.text });
        else {
          this.entries.delete(uri.path);
          if ('error' in read) this.errors.set(uri.path, { path: uri.path, message: read.error });
        }
      });
    }
  }
}
