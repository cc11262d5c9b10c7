import { ExplainedError, type Explanation } from '../input/parameters.js';

/** Why a Prometheus request failed; each kind carries advice a person or an agent can act on. */
export type PrometheusErrorKind =
  | 'invalid-url'
  | 'unreachable'
  | 'tls'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'http'
  | 'bad-response'
  | 'query';

export class PrometheusError extends ExplainedError {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string | Explanation,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}
