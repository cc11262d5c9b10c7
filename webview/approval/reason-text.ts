// The agent's free-text reason, bounded: it is the one long text in the panel that the agent alone writes,
// and it must never push the diff or the buttons out of sight nor hide what it contains. Pure: tested in Node.
import { showInvisible } from '../shared/visible-text.js';

export interface ReasonLimits {
  /** Lines shown before the rest is folded into the last one. */
  lines: number;
  /** Characters shown before "show all". */
  chars: number;
}

export const REASON_LIMITS: ReasonLimits = { lines: 6, chars: 600 };

/** Where a folded line break was: visible, so that folding hides nothing. */
export const FOLDED_BREAK = ' \u21B5 ';

export interface BoundedReason {
  /** What the box shows first: at most `lines` lines and `chars` characters (plus "…"). */
  preview: string;
  /** Everything, escaped, blank-line runs collapsed: shown on "show all", in a scrolling box. */
  full: string;
  /** Whether "show all" would show more than the preview. */
  truncated: boolean;
  /** Lines of the full text. */
  lines: number;
  /** Invisible or control characters shown as ⟨U+XXXX⟩ escapes. */
  escaped: number;
}

export function boundReason(raw: string, limits: ReasonLimits = REASON_LIMITS): BoundedReason {
  const normalized = raw.replace(/\r\n?/g, '\n');
  const { text, escaped } = showInvisible(normalized);
  // Runs of empty (or blank) lines say nothing but take the box's height: one blank line is enough.
  const lines = text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const full = lines.join('\n');
  const kept = lines.slice(0, limits.lines - 1);
  const rest = lines.slice(limits.lines - 1).filter((line) => line !== '');
  const folded = [...kept, ...(rest.length > 0 ? [rest.join(FOLDED_BREAK)] : [])].join('\n');
  const preview = [...folded].length > limits.chars ? `${cut(folded, limits.chars)}…` : folded;
  return { preview, full, truncated: preview !== full, lines: lines.length, escaped };
}

/** The first `chars` code points, never ending inside an escape (a half "⟨U+20" would read as text). */
function cut(text: string, chars: number): string {
  const head = [...text].slice(0, chars).join('');
  const open = head.lastIndexOf('\u27E8');
  return open >= 0 && !head.includes('\u27E9', open) ? head.slice(0, open) : head;
}
