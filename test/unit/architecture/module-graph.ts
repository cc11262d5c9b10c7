import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** What one import statement names, once resolved. Paths are repo-relative with forward slashes. */
export type ImportTarget =
  | { kind: 'module'; path: string }
  | { kind: 'package'; name: string }
  /** A relative import that names no file: tsc would refuse it, and no rule can judge it. */
  | { kind: 'unresolved'; specifier: string };

export interface SourceFile {
  /** Repo-relative, forward slashes: `src/core/audit/chain.ts`. */
  path: string;
  imports: ImportTarget[];
}

const toPosix = (path: string) => path.split(sep).join('/');

/**
 * Every module a file names: static imports and `export … from` (type-only ones too), side-effect
 * imports, `import()` with a literal (also in type positions) and `require()`. TypeScript's own
 * pre-processor does the scanning, so comments and strings that look like imports are not imports.
 */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** `./x.js` → `x.ts` (ESM spelling of a TypeScript source), also `x.tsx`, `x/index.ts`, `x.mts`. */
function resolveRelative(repoRoot: string, fromPath: string, specifier: string): string | undefined {
  const target = posix.join(posix.dirname(fromPath), specifier);
  const stem = target.replace(/\.(m|c)?js$/, '');
  const candidates = [
    target,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${stem}.cts`,
    `${stem}.d.ts`,
    `${target}/index.ts`,
  ];
  return candidates.find((candidate) => {
    const absolute = join(repoRoot, candidate);
    return existsSync(absolute) && statSync(absolute).isFile();
  });
}

/** The package a bare specifier belongs to: `@scope/name/sub` → `@scope/name`, `node:fs` → `node:fs`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function resolveImport(repoRoot: string, fromPath: string, specifier: string): ImportTarget {
  if (!specifier.startsWith('.')) return { kind: 'package', name: packageName(specifier) };
  const path = resolveRelative(repoRoot, fromPath, specifier);
  return path ? { kind: 'module', path } : { kind: 'unresolved', specifier };
}

/** Every TypeScript file under `folder` (repo-relative) with its resolved imports. */
export function readSourceFiles(repoRoot: string, folder: string): SourceFile[] {
  const absolute = join(repoRoot, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true })
    .map(String)
    .filter((file) => /\.(m|c)?tsx?$/.test(file))
    .sort()
    .map((file) => {
      const path = toPosix(relative(repoRoot, join(absolute, file)));
      const text = readFileSync(join(repoRoot, path), 'utf8');
      return {
        path,
        imports: importSpecifiers(text).map((specifier) => resolveImport(repoRoot, path, specifier)),
      };
    });
}
