// The values a person or an agent supplies, named once. Each surface names them its own way: the CLI by its
// flags (`-n/--namespace`), the MCP server by its tools' parameters (`namespace`) and its environment
// (`PROMETHEUS_URL`), the extension by its settings. Errors refer to these ids, so that an agent is never
// told about a CLI flag it cannot pass, nor a terminal user about a tool parameter.

export const INPUT_PARAMETERS = [
  'namespace',
  'resource',
  'selector',
  'context',
  'kubeconfig',
  'prometheus_url',
  'prometheus_auth',
  'prometheus_ca_file',
  'prometheus_skip_tls_verify',
  'prometheus_timeout',
  'history_duration',
  'timeframe_duration',
  'cpu_percentile',
  'cpu_request',
  'cpu_limit',
  'memory_buffer_percentage',
  'points_required',
  'oom_memory_buffer_percentage',
  'cpu_min',
  'mem_min',
] as const;

export type InputParameter = (typeof INPUT_PARAMETERS)[number];

export function isInputParameter(name: string): name is InputParameter {
  return (INPUT_PARAMETERS as readonly string[]).includes(name);
}

/** How one surface names every parameter. */
export type ParameterNames = Readonly<Record<InputParameter, string>>;

/** A message that names parameters, rendered with the names of the surface that shows it. */
export type Explanation = (name: (parameter: InputParameter) => string) => string;

/** Surface-neutral names, for logs and for code that has no surface. */
export const NEUTRAL_NAMES: ParameterNames = Object.fromEntries(
  INPUT_PARAMETERS.map((p) => [p, p.replace(/_/g, ' ')]),
) as Record<InputParameter, string>;

/** An error whose message names the parameters to fix; `message` uses the neutral names. */
export class ExplainedError extends Error {
  private readonly explanation: Explanation;

  constructor(explanation: string | Explanation) {
    const explain: Explanation = typeof explanation === 'string' ? () => explanation : explanation;
    super(explain((p) => NEUTRAL_NAMES[p]));
    this.explanation = explain;
  }

  /** The message with a surface's names. */
  explain(names: ParameterNames): string {
    return this.explanation((p) => names[p]);
  }
}

/**
 * A value the user or the agent gave is invalid: a usage error (the CLI's exit code 2), not a failure of the
 * cluster or of Prometheus. Never carries a file's contents, only the value and what is wrong with it.
 */
export class InvalidInputError extends ExplainedError {
  override name = 'InvalidInputError';

  constructor(
    readonly parameter: InputParameter,
    problem: string,
  ) {
    super((name) => `Invalid value for ${name(parameter)}: ${problem}`);
  }
}

/** The message of any error, with a surface's names where the error names parameters. */
export function explainError(error: unknown, names: ParameterNames): string {
  if (error instanceof ExplainedError) return error.explain(names);
  return error instanceof Error ? error.message : String(error);
}

/** A value as it appears in a message: quoted, control characters escaped, long ones cut. */
export function shownValue(value: string, max = 120): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}
