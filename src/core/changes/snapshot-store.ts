// Write-ahead snapshots of applies: one JSON file per apply, written before the first patch and after
// every step, atomically (temp file + fsync + rename + directory fsync) so that a crash at any point
// leaves either the previous or the next complete version, never a torn file.

import { writeFileDurably } from '../durable-file.js';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KINDS } from '../recommend/model.js';

const values = z.object({ cpu: z.string().optional(), memory: z.string().optional() });
const resources = z.object({ requests: values, limits: values });

export const ObjectApplyStateSchema = z.enum(['pending', 'applied', 'failed', 'restored']);
export type ObjectApplyState = z.infer<typeof ObjectApplyStateSchema>;

export const ApplyStatusSchema = z.enum([
  'in-progress',
  'applied',
  'failed-restored',
  'failed-partially-restored',
]);
export type ApplyStatus = z.infer<typeof ApplyStatusSchema>;

export const SnapshotObjectSchema = z.object({
  target: z.object({ kind: z.enum(KINDS), namespace: z.string(), name: z.string() }),
  uid: z.string(),
  /** The version the plan read and the patch was conditioned on. */
  resourceVersionBefore: z.string(),
  /** The version our patch produced. */
  resourceVersionWritten: z.string().optional(),
  /**
   * The generation our patch produced. Drift is judged on it: controllers write status (a new
   * resourceVersion) after every rollout, but only a change to the spec moves the generation.
   */
  generationWritten: z.number().int().nonnegative().optional(),
  resourceVersionRestored: z.string().optional(),
  containers: z.array(
    z.object({
      container: z.string(),
      /** Exactly what the object held before (absent keys were not set). */
      previous: resources,
      /** What our patch set. */
      written: resources,
    }),
  ),
  state: ObjectApplyStateSchema,
  error: z.string().optional(),
  /** Set when restoring this object failed; its state then stays "applied". */
  restoreError: z.string().optional(),
});
export type SnapshotObject = z.infer<typeof SnapshotObjectSchema>;

export const ApplySnapshotSchema = z.object({
  version: z.literal(1),
  rollbackId: z.string(),
  planId: z.string(),
  planHash: z.string(),
  cluster: z.object({
    context: z.string(),
    cluster: z.string(),
    server: z.string(),
    user: z.string(),
    namespace: z.string().optional(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: ApplyStatusSchema,
  objects: z.array(SnapshotObjectSchema),
});
export type ApplySnapshot = z.infer<typeof ApplySnapshotSchema>;

const ID = /^[A-Za-z0-9_-]{16,64}$/;

export function newRollbackId(): string {
  return randomBytes(16).toString('base64url');
}

export class SnapshotStoreError extends Error {
  override name = 'SnapshotStoreError';
}

export class SnapshotStore {
  constructor(readonly directory: string) {}

  private async ensureDirectory(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    // mkdir's mode is masked by the umask and ignored for an existing directory: set it explicitly.
    const info = await stat(this.directory);
    if ((info.mode & 0o777) !== 0o700) await chmod(this.directory, 0o700);
  }

  private fileOf(rollbackId: string): string {
    if (!ID.test(rollbackId)) throw new SnapshotStoreError(`"${rollbackId}" is not a rollback id`);
    return join(this.directory, `${rollbackId}.json`);
  }

  /** Durably replaces the snapshot file: once this resolves, the content survives a crash or power loss. */
  async save(snapshot: ApplySnapshot): Promise<void> {
    await this.ensureDirectory();
    // Atomic and durable: after a crash the file holds the previous or the new state, never a mix.
    await writeFileDurably(
      this.fileOf(snapshot.rollbackId),
      `${JSON.stringify(snapshot, null, 2)}
`,
      0o600,
    );
  }

  async load(rollbackId: string): Promise<ApplySnapshot> {
    const file = this.fileOf(rollbackId);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new SnapshotStoreError(`No apply snapshot with rollback id ${rollbackId} in ${this.directory}`);
      throw error;
    }
    const parsed = ApplySnapshotSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new SnapshotStoreError(`The snapshot ${file} is damaged: ${parsed.error.message}`);
    return parsed.data;
  }

  /** Every snapshot, oldest first. Damaged files are skipped, not fatal: the others are still useful. */
  async list(): Promise<ApplySnapshot[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const snapshots: ApplySnapshot[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        snapshots.push(await this.load(name.slice(0, -'.json'.length)));
      } catch {
        // skip
      }
    }
    return snapshots.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

/** Applies interrupted by a crash: still in progress, with objects pending or already changed. */
export async function incompleteApplies(store: SnapshotStore): Promise<ApplySnapshot[]> {
  return (await store.list()).filter(
    (s) =>
      s.status === 'in-progress' && s.objects.some((o) => o.state === 'pending' || o.state === 'applied'),
  );
}
