// The files of one planning run, looked up by normal path, each parsed at most once. A file that cannot
// be parsed (or whose content is garbage for what it claims to be) is recorded as an error and from then
// on treated as unreadable: nothing in it is matched or edited.

import { inlineSource } from './inline-source.js';
import { normalizePath } from './manifest-paths.js';
import type { FileError, ManifestFile } from './model.js';
import { workloadDocuments, type WorkloadDocument } from './workloads/workload-documents.js';
import { fileSource, type YamlSource } from './yaml-source.js';
import type { Scalar } from 'yaml';

export class Workspace {
  private readonly byKey = new Map<string, ManifestFile>();
  private readonly parsed = new Map<string, YamlSource | undefined>();
  private readonly workloads = new Map<string, WorkloadDocument[]>();
  private readonly inline = new Map<string, YamlSource | { error: string }>();
  private readonly errors = new Map<string, FileError>();

  constructor(readonly files: readonly ManifestFile[]) {
    for (const file of files) {
      const key = normalizePath(file.path);
      if (!this.byKey.has(key)) this.byKey.set(key, file);
    }
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  file(key: string): ManifestFile | undefined {
    return this.byKey.get(key);
  }

  /** Records that a file is unusable; the first message is kept. */
  fail(key: string, message: string): void {
    const file = this.byKey.get(key);
    if (!this.errors.has(key)) this.errors.set(key, { path: file?.path ?? key, message });
  }

  failed(key: string): boolean {
    return this.errors.has(key);
  }

  fileErrors(): FileError[] {
    return [...this.errors.values()];
  }

  yaml(key: string): YamlSource | undefined {
    if (this.parsed.has(key)) return this.failed(key) ? undefined : this.parsed.get(key);
    const file = this.byKey.get(key);
    let source: YamlSource | undefined;
    if (file) {
      const result = fileSource(file.path, file.text);
      if ('error' in result) this.fail(key, result.error);
      else source = result;
    }
    this.parsed.set(key, source);
    return this.failed(key) ? undefined : source;
  }

  /** The workloads a file defines; a document that is a broken workload makes the whole file an error. */
  workloadsIn(key: string): WorkloadDocument[] {
    const cached = this.workloads.get(key);
    if (cached) return this.failed(key) ? [] : cached;
    const source = this.yaml(key);
    const read = source ? workloadDocuments(source) : { workloads: [], errors: [] };
    if (read.errors.length > 0) this.fail(key, read.errors.join('; '));
    this.workloads.set(key, read.workloads);
    return this.failed(key) ? [] : read.workloads;
  }

  /** The YAML inside a literal block scalar of a file, parsed once. */
  inlineYaml(key: string, scalar: Scalar): YamlSource | { error: string } {
    const id = `${key}@${scalar.range?.[0] ?? -1}`;
    const cached = this.inline.get(id);
    if (cached) return cached;
    const source = this.yaml(key);
    const result = source ? inlineSource(source, scalar) : { error: `${key} cannot be read` };
    this.inline.set(id, result);
    return result;
  }
}
