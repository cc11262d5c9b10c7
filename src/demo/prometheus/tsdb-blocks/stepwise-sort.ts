// A stable merge sort of numbers (indices) that yields every few thousand moves: sorting half a million series
// by their labels takes about half a second, too long for the event loop to wait (Ctrl-C, progress).

/** Elements merged between two yields. */
const STEP = 1 << 15;

/** Sorts `items` by `compare` (stably); returns the sorted array, which may be `items` itself or a new one. */
export function* sortInSteps(
  items: Uint32Array,
  compare: (a: number, b: number) => number,
): Generator<void, Uint32Array> {
  const length = items.length;
  let from: Uint32Array = items;
  let to: Uint32Array = new Uint32Array(length);
  let moved = 0;
  for (let width = 1; width < length; width *= 2) {
    for (let left = 0; left < length; left += 2 * width) {
      const middle = Math.min(left + width, length);
      const right = Math.min(left + 2 * width, length);
      let i = left;
      let j = middle;
      let k = left;
      while (i < middle && j < right) to[k++] = compare(from[i]!, from[j]!) <= 0 ? from[i++]! : from[j++]!;
      while (i < middle) to[k++] = from[i++]!;
      while (j < right) to[k++] = from[j++]!;
      moved += right - left;
      if (moved >= STEP) {
        moved = 0;
        yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}
