// The entry to the byte-preserving editor: a write tree applied to one document of a YAML source, giving
// text changes in the offsets of the workspace file (inline patches included).

import { isMap } from 'yaml';
import type { TextChange } from '../model.js';
import { normalizeChanges } from '../text-changes.js';
import type { YamlSource } from '../yaml-source.js';
import { editBlockMap } from './block-edit.js';
import type { EditContext } from './edit-context.js';
import { editFlowMap } from './flow-edit.js';
import { blockEntryLines, UnsupportedEditError } from './render-writes.js';
import type { MapWrites } from './write-tree.js';
import { detectLayout, type Layout } from './yaml-layout.js';

/** Changes to `source`'s own text (for an inline patch: the block's content). */
function editDocumentText(
  source: YamlSource,
  docIndex: number,
  writes: MapWrites,
  layout?: Layout,
): TextChange[] {
  const doc = source.docs[docIndex];
  const root = doc?.contents ?? null;
  const ctx: EditContext = {
    text: source.text,
    layout: layout ?? detectLayout(root, source.text, source.newline),
    out: [],
    style: 'plain',
  };
  if (root === null) {
    // An empty values file (or one with only comments): the entries are its first lines of YAML.
    const lines = blockEntryLines(writes.children, 0, ctx.layout, 'plain');
    const text = source.text;
    const lead = text === '' || text.endsWith('\n') ? '' : ctx.layout.newline;
    return [
      { offset: text.length, length: 0, text: lead + lines.map((l) => l + ctx.layout.newline).join('') },
    ];
  }
  if (!isMap(root)) throw new UnsupportedEditError('the document is not a map');
  if (root.flow) editFlowMap(root, writes, '', ctx);
  else editBlockMap(root, writes, '', ctx);
  return normalizeChanges(ctx.out);
}

/** The same changes in offsets of the workspace file. */
export function editDocument(
  source: YamlSource,
  docIndex: number,
  writes: MapWrites,
  layout?: Layout,
): TextChange[] {
  return editDocumentText(source, docIndex, writes, layout).map((change) => {
    const offset = source.toFileOffset(change.offset);
    const end = source.toFileOffset(change.offset + change.length);
    return { offset, length: end - offset, text: source.toFileText(change.text, offset) };
  });
}
