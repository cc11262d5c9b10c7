// Append-only columns of numbers in typed arrays: a block keeps a few numbers for each of up to millions of series
// and tens of millions of chunks, which as JavaScript arrays or objects would cost many times the memory.

abstract class TypedColumn<T extends Uint32Array | Float64Array> {
  length = 0;
  protected data: T;

  constructor(
    private readonly allocate: (capacity: number) => T,
    capacity: number,
  ) {
    this.data = allocate(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index]!;
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  /** The values (a view: valid until the next push). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  private grow(): void {
    const grown = this.allocate(Math.max(1024, this.data.length * 2));
    grown.set(this.data);
    this.data = grown;
  }
}

export class Uint32Column extends TypedColumn<Uint32Array> {
  constructor(capacity = 1024) {
    super((n) => new Uint32Array(n), capacity);
  }
}

export class Float64Column extends TypedColumn<Float64Array> {
  constructor(capacity = 1024) {
    super((n) => new Float64Array(n), capacity);
  }
}
