// Text changes on an original text: kept sorted and non-overlapping so that they can be applied in one
// pass and shown to a person as they are.

import type { TextChange } from './model.js';

export class OverlappingChangesError extends Error {
  override name = 'OverlappingChangesError';
}

/**
 * Sorts the changes and joins insertions made at the same offset (in the order given). Two changes that
 * replace overlapping text are a bug in whoever made them: they throw.
 */
export function normalizeChanges(changes: readonly TextChange[]): TextChange[] {
  const sorted = changes
    .map((change, order) => ({ change, order }))
    .filter(({ change }) => change.length > 0 || change.text !== '')
    .sort(
      (a, b) => a.change.offset - b.change.offset || a.change.length - b.change.length || a.order - b.order,
    )
    .map(({ change }) => change);
  const out: TextChange[] = [];
  for (const change of sorted) {
    const last = out.at(-1);
    if (last && last.length === 0 && change.offset === last.offset) {
      out[out.length - 1] = { offset: last.offset, length: change.length, text: last.text + change.text };
      continue;
    }
    if (last && change.offset < last.offset + last.length)
      throw new OverlappingChangesError(
        `changes at ${last.offset}+${last.length} and ${change.offset}+${change.length} overlap`,
      );
    out.push({ ...change });
  }
  return out;
}

export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = '';
  let at = 0;
  for (const change of normalizeChanges(changes)) {
    out += text.slice(at, change.offset) + change.text;
    at = change.offset + change.length;
  }
  return out + text.slice(at);
}
