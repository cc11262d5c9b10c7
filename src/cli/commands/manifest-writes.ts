import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { ManifestEdit } from '../../core/manifests/index.js';

/** A file changed (or appeared) between reading and writing: nothing was written. */
export class StaleManifestError extends Error {
  override name = 'StaleManifestError';
}

/**
 * Writes every edit or none: each file is checked to still hold the text the edits were computed from,
 * all new contents are staged beside their files, and only then renamed into place. A failure before the
 * renames leaves every file as it was.
 */
export async function writeManifestEdits(edits: readonly ManifestEdit[]): Promise<void> {
  for (const edit of edits) {
    const now = await readFile(edit.path, 'utf8').catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' ? undefined : Promise.reject(error),
    );
    const expected = edit.created ? undefined : edit.before;
    if (now !== expected)
      throw new StaleManifestError(
        `${edit.path} ${edit.created ? 'appeared' : 'changed'} since it was read; nothing was written. Run the command again.`,
      );
  }
  const staged: Array<{ temp: string; path: string }> = [];
  try {
    for (const edit of edits) {
      const temp = `${edit.path}.krr-mcp-${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temp, edit.after, { flag: 'wx' });
      staged.push({ temp, path: edit.path });
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw new StaleManifestError(
      `Cannot write the edits (${(error as Error).message}); nothing was written.`,
    );
  }
  for (const { temp, path } of staged) await rename(temp, path);
}
