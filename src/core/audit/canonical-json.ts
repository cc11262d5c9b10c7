export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Turns any value into plain JSON data (undefined dropped, Dates as ISO strings, bigints as strings),
 * so that what is hashed is exactly what a reader parses back from the file.
 */
export function toJsonValue(value: unknown): JsonValue {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}
