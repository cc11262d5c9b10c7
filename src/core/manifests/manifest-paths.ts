// File paths are compared in one normal form (POSIX separators, no "." or ".." parts), whatever the
// caller gave, so that "overlays/prod/../../base" and "base" name the same directory.

import { posix } from 'node:path';

export function normalizePath(path: string): string {
  const normal = posix.normalize(path.replaceAll('\\', '/'));
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

export function directoryOf(path: string): string {
  return posix.dirname(normalizePath(path));
}

export function baseName(path: string): string {
  return posix.basename(normalizePath(path));
}

/** A path written in a file (kustomization `resources:`), relative to the directory that holds it. */
export function resolveFrom(directory: string, relative: string): string {
  return normalizePath(posix.isAbsolute(relative) ? relative : posix.join(directory, relative));
}

export function joinPath(directory: string, name: string): string {
  return normalizePath(posix.join(directory, name));
}

/** Whether `path` is `directory` or lies below it. */
export function isWithin(path: string, directory: string): boolean {
  return directory === '.'
    ? !path.startsWith('../') && !posix.isAbsolute(path)
    : path.startsWith(`${directory}/`);
}
