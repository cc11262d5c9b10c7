export type DiffLineKind = 'added' | 'removed' | 'hunk' | 'header' | 'context';

/** Which kind of line a unified diff line is, for styling: `+++`/`---` are file headers, not changes. */
export function diffLineKind(line: string): DiffLineKind {
  if (line.startsWith('+++') || line.startsWith('---')) return 'header';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
}

export function diffLines(diff: string): Array<{ kind: DiffLineKind; text: string }> {
  const lines = diff.replace(/\n$/, '').split('\n');
  return lines.map((text) => ({ kind: diffLineKind(text), text }));
}
