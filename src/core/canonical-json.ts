/**
 * JSON with object keys sorted (by UTF-16 code units, as `Array.prototype.sort` does) and no whitespace,
 * so that equal values always give equal bytes: the input to plan hashes and approval-token MACs.
 *
 * It is stricter than `JSON.stringify` on purpose: a value that JSON would silently change (NaN → null,
 * a Date → a string, a Map → {}) or drop (undefined in an array) would make two different plans hash
 * alike, so those throw instead. `undefined` object properties are left out, as JSON does, so that an
 * optional field that is absent and one that is `undefined` hash the same.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object':
      return writeContainer(value, ancestors);
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

function writeContainer(value: object, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError('canonicalJson: the value contains a cycle');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item: unknown) => {
        if (item === undefined) throw new TypeError('canonicalJson: an array holds undefined');
        return write(item, ancestors);
      });
      return `[${items.join(',')}]`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError('canonicalJson: only plain objects and arrays can be hashed');
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${write(record[key], ancestors)}`);
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
