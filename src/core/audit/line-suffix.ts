/**
 * Keys are sorted on every stored line, so each one ends with the top-level seq, status and time.
 * Reading them from the end of the line lets history skip a record without parsing it. Lines without
 * this shape (hand-edited ones) give undefined, and the caller parses them in full.
 */
const LINE_SUFFIX = /"seq":(\d+),"status":"([a-z_]+)","time":"([^"\\]+)"\}$/;
/** Enough for the suffix, so the regex never scans a (possibly long) details object. */
const SUFFIX_CHARS = 128;

export interface LineSuffix {
  seq: number;
  status: string;
  time: string;
}

export function readLineSuffix(text: string): LineSuffix | undefined {
  const match = LINE_SUFFIX.exec(text.slice(-SUFFIX_CHARS));
  return match ? { seq: Number(match[1]), status: match[2]!, time: match[3]! } : undefined;
}
