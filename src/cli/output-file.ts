import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** Fails with a usage error when `path` cannot be written: a missing folder, a folder, no permission. */
export function checkOutputFile(path: string, flag: string): void {
  const folder = dirname(resolve(path));
  const folderInfo = statSync(folder, { throwIfNoEntry: false });
  if (!folderInfo) throw new UsageError(`Invalid value for ${flag}: the folder ${folder} does not exist.`);
  if (!folderInfo.isDirectory())
    throw new UsageError(`Invalid value for ${flag}: ${folder} is not a folder.`);
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing?.isDirectory())
    throw new UsageError(`Invalid value for ${flag}: ${path} is a folder; give a file name.`);
  try {
    accessSync(existing ? path : folder, constants.W_OK);
  } catch {
    throw new UsageError(
      `Invalid value for ${flag}: no permission to write ${existing ? path : `in ${folder}`}.`,
    );
  }
}

/** Writes the result; a failure (disk full…) is one line naming the file, never a stack trace. */
export function writeOutputFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new OutputFileError(
      `Cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
}

export class OutputFileError extends Error {
  override name = 'OutputFileError';
}
