import type { CliIo } from './io.js';

// Progress on stderr for waits of more than a moment. On a terminal: one line redrawn in place, with a bar
// when the fraction done is known. Elsewhere (CI logs, a pipe): plain lines, only when something changed
// enough to be worth a line (a new step, another tenth done, or ten more seconds).

const BAR_CELLS = 24;
const PLAIN_EVERY_MS = 10_000;
/** Waits shorter than this show nothing: progress for a one-second scan is noise. */
const SILENT_FIRST_MS = 1500;

export interface ProgressUpdate {
  /** What is being done, e.g. "Generating the history". */
  step: string;
  /** 0–1 when known. */
  fraction?: number;
  /** Extra detail after the step, e.g. "5.8 M of 13.0 M samples" or "23 s". */
  detail?: string;
}

export class ProgressDisplay {
  private lastStep = '';
  private lastTenth = -1;
  private lastPlainAt = 0;
  private drawn = false;
  private readonly since = Date.now();

  constructor(private readonly io: CliIo) {}

  update(update: ProgressUpdate): void {
    if (Date.now() - this.since < SILENT_FIRST_MS) return;
    const percent =
      update.fraction === undefined ? undefined : Math.floor(Math.min(1, update.fraction) * 100);
    const detail = update.detail ? ` (${update.detail})` : '';
    if (this.io.stderrIsTty) {
      const bar =
        percent === undefined
          ? ''
          : `[${'#'.repeat(Math.round((percent / 100) * BAR_CELLS)).padEnd(BAR_CELLS, '.')}] ${String(percent).padStart(3)}% `;
      const line = `${bar}${update.step}${detail}`;
      const width = (this.io.stderrColumns ?? 80) - 1;
      this.io.stderr.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      this.drawn = true;
      return;
    }
    const tenth = percent === undefined ? -1 : Math.floor(percent / 10);
    const now = Date.now();
    const worthALine =
      update.step !== this.lastStep || tenth > this.lastTenth || now - this.lastPlainAt >= PLAIN_EVERY_MS;
    if (!worthALine) return;
    this.lastStep = update.step;
    this.lastTenth = tenth;
    this.lastPlainAt = now;
    this.io.stderr.write(`${percent === undefined ? '' : `${percent}% `}${update.step}${detail}\n`);
  }

  /** Clears the redrawn line (a terminal) so that what follows starts on a clean line. */
  done(): void {
    if (this.drawn) this.io.stderr.write('\r\x1b[2K');
    this.drawn = false;
    this.lastStep = '';
    this.lastTenth = -1;
  }
}

/** "13.0 M" for counts in the millions, as a person reads them. */
export function millions(count: number): string {
  return `${(count / 1e6).toFixed(1)} M`;
}
