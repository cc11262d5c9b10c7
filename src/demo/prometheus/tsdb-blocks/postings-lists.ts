// The postings of an index: for every label pair, the references of the series that have it, ascending. Built
// with a counting sort over typed arrays (a block has millions of label entries): count each pair's series, give
// each pair its slice of one array, then fill the slices walking the series in index order, which leaves every
// list ascending. A generator: it yields every few thousand series, so that the caller can give the event loop
// turns.

/** Series walked between two yields. */
const STEP = 1 << 14;

export interface PostingsLists {
  /** The pairs in index order (by name rank, then value rank). */
  names: Uint32Array;
  values: Uint32Array;
  /** Pair i's series references are refs[starts[i] … starts[i + 1]). */
  starts: Uint32Array;
  refs: Uint32Array;
}

/**
 * @param ranked label pairs as symbol ranks (name, value, name …), series by series
 * @param labelStarts where each series' pairs start in `ranked` (one more entry at the end)
 * @param order series in index order
 * @param seriesRefs the reference of each series, by its position in `order`
 */
export function* buildPostings(
  ranked: Uint32Array,
  labelStarts: Uint32Array,
  order: Uint32Array,
  seriesRefs: Uint32Array,
  symbolCount: number,
): Generator<void, PostingsLists> {
  // A pair as one number: name rank × symbolCount + value rank sorts like (name, value), and stays below 2^53.
  const pairOf = new Map<number, number>();
  const keys: number[] = [];
  const counts: number[] = [];
  const entryPairs = new Uint32Array(ranked.length / 2);
  let entry = 0;
  for (let position = 0; position < order.length; position++) {
    const series = order[position]!;
    if (position % STEP === STEP - 1) yield;
    for (let i = labelStarts[series]!; i < labelStarts[series + 1]!; i += 2) {
      const key = ranked[i]! * symbolCount + ranked[i + 1]!;
      let pair = pairOf.get(key);
      if (pair === undefined) {
        pair = keys.length;
        pairOf.set(key, pair);
        keys.push(key);
        counts.push(0);
      }
      counts[pair]!++;
      entryPairs[entry++] = pair;
    }
  }
  const pairOrder = Uint32Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!);
  const fill = new Uint32Array(keys.length);
  const names = new Uint32Array(keys.length);
  const values = new Uint32Array(keys.length);
  const starts = new Uint32Array(keys.length + 1);
  let total = 0;
  pairOrder.forEach((pair, i) => {
    fill[pair] = total;
    starts[i] = total;
    names[i] = Math.floor(keys[pair]! / symbolCount);
    values[i] = keys[pair]! % symbolCount;
    total += counts[pair]!;
  });
  starts[keys.length] = total;
  const refs = new Uint32Array(total);
  entry = 0;
  for (let position = 0; position < order.length; position++) {
    const series = order[position]!;
    if (position % STEP === STEP - 1) yield;
    for (let i = labelStarts[series]!; i < labelStarts[series + 1]!; i += 2) {
      refs[fill[entryPairs[entry++]!]!++] = seriesRefs[position]!;
    }
  }
  return { names, values, starts, refs };
}
