// PromQL text: escaping, krr's duration strings, and selectors. Everything the cluster supplies (names,
// label values) goes through these escapes: a pod named `a.b` must not match `axb`, and a quote in a
// label value must not end the string.

/** Escapes a value for a double-quoted PromQL string. */
export function quoteLabelValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Escapes RE2 metacharacters so the text matches itself literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A PromQL `=~` alternation matching exactly the given values (Prometheus anchors regexes). */
export function exactAlternation(values: readonly string[]): string {
  return values.map(escapeRegex).join('|');
}

/** Python's round() for non-negative numbers: to nearest, ties to even. */
export function pythonRound(value: number, digits = 0): number {
  const factor = 10 ** digits;
  const scaled = value * factor;
  const floor = Math.floor(scaled);
  const fraction = scaled - floor;
  if (fraction === 0.5) return (floor % 2 === 0 ? floor : floor + 1) / factor;
  // Away from exact ties, the correctly rounded decimal of the double is what Python prints.
  return Number(value.toFixed(digits));
}

/** Formats a float the way Python's str() does for the values used here (0.95 → "0.95", 1 → "1.0"). */
export function pythonFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** krr's step string: `f"{round(step.total_seconds())}s"` (75 s for the default 1.25 minutes). */
export function stepSeconds(timeframeMinutes: number): number {
  return pythonRound(timeframeMinutes * 60);
}

/** krr's `_step_to_string(history)`: whole days when longer than a day (floored!), else whole minutes. */
export function durationString(historyHours: number): string {
  const seconds = Math.trunc(historyHours * 3600);
  return seconds > 86400 ? `${Math.floor(seconds / 86400)}d` : `${Math.floor(seconds / 60)}m`;
}

/** The length in seconds of krr's duration string (what the subqueries actually cover). */
export function durationSeconds(historyHours: number): number {
  const seconds = Math.trunc(historyHours * 3600);
  return seconds > 86400 ? Math.floor(seconds / 86400) * 86400 : Math.floor(seconds / 60) * 60;
}

/** krr's pod-discovery window: hours up to a day, then whole days, capped at 32 of either. */
export function discoveryPeriod(historyHours: number): string {
  const hours = Math.trunc(historyHours);
  return hours <= 24 ? `${Math.min(hours, 32)}h` : `${Math.min(Math.floor(hours / 24), 32)}d`;
}

/** Label matchers (without braces) joined by ", ". */
export function matchers(...parts: Array<string | undefined | false>): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(', ');
}

/** `namespace="a"` or `namespace=~"a|b"` for a batch of namespaces. */
export function namespaceMatcher(namespaces: readonly string[]): string {
  return namespaces.length === 1
    ? `namespace=${quoteLabelValue(namespaces[0]!)}`
    : `namespace=~${quoteLabelValue(exactAlternation(namespaces))}`;
}

/** The centralized-Prometheus cluster matcher (krr's --prometheus-label + -l), if configured. */
export interface ClusterLabel {
  name: string;
  value: string;
}

export function clusterMatcher(label: ClusterLabel | undefined): string | undefined {
  return label ? `${label.name}=${quoteLabelValue(label.value)}` : undefined;
}
