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

export class PrometheusError extends Error {
  constructor(
    readonly kind: PrometheusErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}
