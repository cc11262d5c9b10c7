// Characters a person cannot see (bidi overrides, zero-width joiners, control and tag characters) can make
// text read differently from what it is: "approve" shown for an "evorppa" stored reversed, a second
// instruction hidden between the letters of the first. The panels show each as a visible escape, ⟨U+202E⟩,
// so what the person reads is what is there. Pure: tested in Node.

/**
 * Controls but tab and newline; format characters (bidi controls, zero-width characters, soft hyphen, tag
 * characters); line and paragraph separators; variation selectors (they can carry hidden data); and the
 * Hangul and Khmer fillers and the Mongolian vowel separator, which render as nothing.
 */
const INVISIBLE = new RegExp(
  [
    '[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\u115F\\u1160\\u180E\\u3164\\uFFA0]',
    // Combining marks, one alternative each (inside a class they would read as combined with a neighbour).
    '\\u034F',
    '\\u17B4',
    '\\u17B5',
    '\\p{Variation_Selector}',
  ].join('|'),
  'gu',
);
const KEPT = new Set(['\n', '\t']);

export function escapeCodePoint(char: string): string {
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `\u27E8U+${hex}\u27E9`;
}

export interface VisibleText {
  text: string;
  /** How many characters were replaced by escapes. */
  escaped: number;
}

/** `text` with every invisible or control character but newline and tab replaced by ⟨U+XXXX⟩. */
export function showInvisible(text: string): VisibleText {
  let escaped = 0;
  const visible = text.replace(INVISIBLE, (char) => {
    if (KEPT.has(char)) return char;
    escaped++;
    return escapeCodePoint(char);
  });
  return { text: visible, escaped };
}

/** The same for a one-line value (a name, a context): newlines and tabs are escaped too. */
export function visibleLine(text: string): string {
  return showInvisible(text).text.replace(/[\n\t]/g, escapeCodePoint);
}
