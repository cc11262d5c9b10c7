// What promtool says about a TSDB directory. Prometheus' own readers are the judge of whether a block is sound:
// `promtool tsdb list` opens every block (meta.json, the index's table of contents, symbols and postings offset
// table, the chunk segments' headers), `promtool tsdb analyze --extended` reads every series entry of one
// block's index and every chunk it points to, checking each section's and each chunk's CRC-32C.

import { run } from './child-processes.js';

export interface ListedBlock {
  ulid: string;
  samples: number;
  series: number;
}

export async function listBlocks(tsdbDir: string, signal?: AbortSignal): Promise<ListedBlock[]> {
  const listing = await run('promtool', ['tsdb', 'list', tsdbDir], signal);
  const [header, ...rows] = listing.trim().split('\n');
  // A space-aligned table; header names contain single spaces, values none.
  const columns = (header ?? '').trim().split(/\s{2,}/);
  const at = (name: string) => columns.indexOf(name);
  const blocks = rows.map((row) => {
    const cells = row.trim().split(/\s+/);
    return {
      ulid: cells[at('BLOCK ULID')] ?? '',
      samples: Number(cells[at('NUM SAMPLES')]),
      series: Number(cells[at('NUM SERIES')]),
    };
  });
  if (
    blocks.some((block) => !block.ulid || !Number.isInteger(block.samples) || !Number.isInteger(block.series))
  ) {
    throw new Error(`unexpected promtool tsdb list output:\n${listing}`);
  }
  return blocks;
}

/** Rejects with promtool's message when Prometheus cannot read the block's index or chunks. */
export async function analyzeBlock(tsdbDir: string, ulid: string, signal?: AbortSignal): Promise<void> {
  await run('promtool', ['tsdb', 'analyze', '--extended', '--limit=1', tsdbDir, ulid], signal);
}
