export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Turns any value into plain JSON data (undefined dropped, Dates as ISO strings, bigints as strings),
 * so that what is hashed is exactly what a reader parses back from the file.
 */
export function toJsonValue(value: unknown): JsonValue {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

/**
 * JSON with the keys of every object sorted and no whitespace: one byte string per value, so a hash
 * computed when writing can be recomputed by any reader, whatever key order the writer's objects had.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const fields = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`);
  return `{${fields.join(',')}}`;
}
