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
  | 'query'
  /** The caller stopped the work (a person's Cancel): not a problem with Prometheus. */
  | 'cancelled';

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
