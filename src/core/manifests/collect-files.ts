// Reading the workspace files the engine looks at. Never throws for a bad path: a missing, unreadable or
// oversized file is reported and the rest is read.

import { readdir, readFile, stat } from 'node:fs/promises';
import type { FileError, ManifestFile } from './model.js';

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 5000;

export interface CollectOptions {
  maxFileBytes?: number;
  maxFiles?: number;
}

export interface CollectedFiles {
  files: ManifestFile[];
  errors: FileError[];
}

// Version control, dependencies and hidden folders (.github, .vscode) hold no manifests, and following
// them could walk into huge trees.
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

/** YAML files, `Kustomization` (kustomize's extension-less name) and Helm templates. */
export function isManifestFileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'Kustomization') return true;
  if (/\.ya?ml$/i.test(name)) return true;
  return /\.tpl$/i.test(name) && /(^|\/)templates\//.test(path);
}

function errorMessage(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return error instanceof Error ? error.message : String(error);
}

function sizeLabel(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

export async function collectManifestFiles(
  paths: string[],
  options: CollectOptions = {},
): Promise<CollectedFiles> {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
  const files: ManifestFile[] = [];
  const errors: FileError[] = [];
  const seen = new Set<string>();
  let capReported = false;

  const reachedCap = (where: string): boolean => {
    if (files.length < maxFiles) return false;
    if (!capReported)
      errors.push({ path: where, message: `more than ${maxFiles} manifest files; the rest were not read` });
    capReported = true;
    return true;
  };

  const readOne = async (path: string, size: number): Promise<void> => {
    if (seen.has(path) || reachedCap(path)) return;
    seen.add(path);
    if (size > maxFileBytes) {
      errors.push({ path, message: `larger than ${sizeLabel(maxFileBytes)}; not read` });
      return;
    }
    try {
      files.push({ path, text: await readFile(path, 'utf8') });
    } catch (error) {
      errors.push({ path, message: errorMessage(error) });
    }
  };

  const walk = async (directory: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      errors.push({ path: directory, message: errorMessage(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
      const path = directory === '.' ? entry.name : `${directory.replace(/\/+$/, '')}/${entry.name}`;
      // Symbolic links to directories are not followed: they can loop.
      if (entry.isDirectory()) await walk(path);
      else if ((entry.isFile() || entry.isSymbolicLink()) && isManifestFileName(path)) {
        const info = await stat(path).catch(() => undefined);
        if (info?.isFile()) await readOne(path, info.size);
      }
      if (capReported) return;
    }
  };

  for (const given of paths) {
    const path = given.replaceAll('\\', '/');
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      errors.push({ path: given, message: errorMessage(error) });
      continue;
    }
    if (info.isDirectory()) await walk(path);
    else await readOne(path, info.size);
  }
  return { files, errors };
}
