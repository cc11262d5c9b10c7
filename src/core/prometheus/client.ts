import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { PrometheusError } from './errors.js';

export interface PrometheusConnectionOptions {
  /** Base URL, possibly with a path prefix (Thanos, VictoriaMetrics, an API-server proxy path). */
  url: string;
  /** Extra headers (Authorization, X-Scope-OrgID, …). Never logged. */
  headers?: Record<string, string>;
  /** PEM file of the CA that signed Prometheus' certificate. */
  caFile?: string;
  /** Skip TLS verification (krr's default; ours is to verify). */
  insecureSkipTlsVerify?: boolean;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries for transient failures (connection refused/reset, 429, 502, 503, 504). */
  retries?: number;
  /** Base delay of the exponential backoff between retries. */
  retryBaseDelayMs?: number;
  /** Adds credentials/TLS material to each request (used for the Kubernetes API-server proxy). */
  decorateRequest?: (options: https.RequestOptions) => Promise<void>;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface Series {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

// The envelope is checked with zod; the (possibly millions of) points are checked in plain loops below,
// because a schema per point would dominate the scan's CPU time on big clusters.
const responseSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({ resultType: z.enum(['vector', 'matrix', 'scalar', 'string']), result: z.unknown() }),
  }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);
type QueryData = Extract<z.infer<typeof responseSchema>, { status: 'success' }>['data'];

const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN']);
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const TLS_CODES = /^(CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|ERR_TLS_|HOSTNAME_MISMATCH|ERR_SSL_)/;

/** Prometheus returns numbers as strings; "NaN", "+Inf" and "-Inf" are valid values. */
export function parsePromNumber(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/**
 * A small HTTP API client for Prometheus-compatible servers. Queries are POSTed as forms like krr does,
 * so long selectors never hit URL length limits. Every request has a timeout.
 */
export class PrometheusClient {
  readonly baseUrl: URL;
  private readonly ca?: Buffer;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  /** Requests sent, for benchmarks and tests. */
  queryCount = 0;

  constructor(private readonly options: PrometheusConnectionOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new PrometheusError(
        'invalid-url',
        `Invalid Prometheus URL "${options.url}": expected http(s)://host[:port][/path]`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new PrometheusError(
        'invalid-url',
        `Invalid Prometheus URL "${options.url}": it must start with http:// or https://`,
      );
    }
    if (url.username || url.password) {
      throw new PrometheusError(
        'invalid-url',
        'Do not put credentials in the Prometheus URL; pass them as a header (--prometheus-auth-header or PROMETHEUS_AUTH_HEADER).',
      );
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    this.baseUrl = url;
    if (options.caFile) {
      try {
        this.ca = readFileSync(options.caFile);
      } catch (e) {
        throw new PrometheusError(
          'invalid-url',
          `Cannot read the Prometheus CA file ${options.caFile}: ${(e as Error).message}`,
        );
      }
    }
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.retries = options.retries ?? 2;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  }

  /** The URL shown in messages: never includes headers or credentials. */
  get displayUrl(): string {
    return this.baseUrl.toString().replace(/\/$/, '');
  }

  async instantQuery(query: string, time: number): Promise<Sample[]> {
    const data = await this.query('/api/v1/query', { query, time: String(time) });
    if (data.resultType !== 'vector') throw this.unexpected(`a vector`, data.resultType, query);
    return this.items(data.result, query).map((r) => ({
      metric: this.labels(r.metric, query),
      value: this.point(r.value, query)[1],
    }));
  }

  /** An instant query whose expression is a range selector (e.g. `kube_replicaset_owner{…}[14d]`). */
  async instantMatrixQuery(query: string, time: number): Promise<Series[]> {
    const data = await this.query('/api/v1/query', { query, time: String(time) });
    if (data.resultType !== 'matrix') throw this.unexpected('a matrix', data.resultType, query);
    return this.matrix(data.result, query);
  }

  async rangeQuery(query: string, start: number, end: number, stepSeconds: number): Promise<Series[]> {
    const data = await this.query('/api/v1/query_range', {
      query,
      start: String(start),
      end: String(end),
      step: `${stepSeconds}s`,
    });
    if (data.resultType !== 'matrix') throw this.unexpected('a matrix', data.resultType, query);
    return this.matrix(data.result, query);
  }

  /** GET /api/v1/status/buildinfo (Prometheus ≥ 2.14; Thanos and VictoriaMetrics answer it too). */
  async buildInfo(): Promise<{ version?: string }> {
    const body = await this.request('GET', '/api/v1/status/buildinfo');
    const parsed = z
      .object({
        status: z.literal('success'),
        data: z.object({ version: z.string().optional() }).passthrough(),
      })
      .safeParse(body);
    if (!parsed.success)
      throw new PrometheusError(
        'bad-response',
        `${this.displayUrl} did not answer /api/v1/status/buildinfo like Prometheus does`,
      );
    return parsed.data.data;
  }

  private async query(path: string, form: Record<string, string>): Promise<QueryData> {
    const body = await this.request('POST', path, new URLSearchParams(form).toString());
    const parsed = responseSchema.safeParse(body);
    if (!parsed.success) {
      throw new PrometheusError(
        'bad-response',
        `${this.displayUrl}${path} answered JSON that is not a Prometheus API response. Is this URL a Prometheus-compatible API?`,
      );
    }
    if (parsed.data.status === 'error') {
      throw new PrometheusError(
        'query',
        `Prometheus rejected a query (${parsed.data.errorType ?? 'error'}): ${parsed.data.error ?? 'no message'}`,
      );
    }
    return parsed.data.data;
  }

  private items(result: unknown, query: string): Array<Record<string, unknown>> {
    if (!Array.isArray(result) || !result.every((r) => typeof r === 'object' && r !== null)) {
      throw this.malformed(query);
    }
    return result as Array<Record<string, unknown>>;
  }

  private labels(metric: unknown, query: string): Record<string, string> {
    if (typeof metric !== 'object' || metric === null) throw this.malformed(query);
    for (const v of Object.values(metric)) if (typeof v !== 'string') throw this.malformed(query);
    return metric as Record<string, string>;
  }

  private point(point: unknown, query: string): [number, number] {
    if (!Array.isArray(point) || typeof point[0] !== 'number' || typeof point[1] !== 'string')
      throw this.malformed(query);
    return [point[0], parsePromNumber(point[1])];
  }

  private matrix(result: unknown, query: string): Series[] {
    return this.items(result, query).map((r) => {
      if (!Array.isArray(r.values)) throw this.malformed(query);
      const points = r.values as unknown[];
      const values = new Array<number>(points.length);
      const timestamps = new Array<number>(points.length);
      for (let i = 0; i < points.length; i++) {
        const [t, v] = this.point(points[i], query);
        timestamps[i] = t;
        values[i] = v;
      }
      return { metric: this.labels(r.metric, query), values, timestamps };
    });
  }

  private malformed(query: string): PrometheusError {
    return new PrometheusError(
      'bad-response',
      `${this.displayUrl} answered a malformed result for query ${query.slice(0, 200)}`,
    );
  }

  private unexpected(expected: string, got: string, query: string): PrometheusError {
    return new PrometheusError(
      'bad-response',
      `Expected ${expected} from Prometheus but got a ${got} for query ${query.slice(0, 200)}`,
    );
  }

  private async request(method: 'GET' | 'POST', path: string, form?: string): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce(method, path, form);
      } catch (error) {
        if (!(error instanceof RetryableError) || attempt >= this.retries) {
          throw error instanceof RetryableError ? error.cause : error;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retryBaseDelayMs * 2 ** attempt));
      }
    }
  }

  private async requestOnce(method: 'GET' | 'POST', path: string, form?: string): Promise<unknown> {
    this.queryCount++;
    const url = new URL(this.baseUrl.toString());
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    const isHttps = url.protocol === 'https:';
    const headers: Record<string, string> = { Accept: 'application/json', ...this.options.headers };
    if (form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(form));
    }
    const options: https.RequestOptions = {
      method,
      headers,
      ...(isHttps ? { ca: this.ca, rejectUnauthorized: !this.options.insecureSkipTlsVerify } : {}),
    };
    if (this.options.decorateRequest) {
      await this.options.decorateRequest(options);
      // The kubeconfig decorator installs an https agent; plain-http API servers (local test clusters) need none.
      if (!isHttps) delete options.agent;
    }
    const where = `${this.displayUrl}${path}`;

    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) =>
          reject(new PrometheusError('unreachable', `Connection to ${where} broke: ${e.message}`)),
        );
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          if (status === 401) {
            return reject(
              new PrometheusError(
                'unauthorized',
                `${where} answered 401 Unauthorized: give credentials with --prometheus-auth-header "Bearer <token>" (or -H "Authorization: Basic <base64>").`,
                401,
              ),
            );
          }
          if (status === 403) {
            return reject(
              new PrometheusError(
                'forbidden',
                `${where} answered 403 Forbidden: the credentials were accepted but may not query this Prometheus.`,
                403,
              ),
            );
          }
          // Prometheus answers 400/422/503 with an error JSON body for bad or failing queries.
          if (
            status >= 400 &&
            json !== undefined &&
            typeof json === 'object' &&
            json !== null &&
            'status' in json &&
            json.status === 'error'
          ) {
            if (RETRYABLE_STATUS.has(status))
              return reject(
                new RetryableError(new PrometheusError('http', `${where} answered ${status}`, status)),
              );
            return resolve(json);
          }
          if (status < 200 || status >= 300) {
            const error = new PrometheusError(
              'http',
              `${where} answered HTTP ${status}${text ? `: ${text.slice(0, 200).trim()}` : ''}`,
              status,
            );
            return reject(RETRYABLE_STATUS.has(status) ? new RetryableError(error) : error);
          }
          if (json === undefined) {
            return reject(
              new PrometheusError(
                'bad-response',
                `${where} answered something that is not JSON (starts with ${JSON.stringify(text.slice(0, 60))}). Is this URL a Prometheus-compatible API?`,
              ),
            );
          }
          resolve(json);
        });
      });
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(
          new PrometheusError(
            'timeout',
            `${where} did not answer within ${this.timeoutMs / 1000} s. Raise --prometheus-timeout, or check that the URL points at Prometheus.`,
          ),
        );
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof PrometheusError) return reject(e);
        if (e.code && TLS_CODES.test(e.code)) {
          return reject(
            new PrometheusError(
              'tls',
              `The TLS certificate of ${this.displayUrl} could not be verified (${e.code}). Pass the CA with --prometheus-ca-file <ca.pem>, or --prometheus-insecure-skip-tls-verify if you accept the risk.`,
            ),
          );
        }
        const error = new PrometheusError(
          'unreachable',
          `Cannot reach Prometheus at ${this.displayUrl} (${e.code ?? e.message}). Check the URL (-p/--prometheus-url) and that Prometheus is running.`,
        );
        reject(e.code && RETRYABLE_CODES.has(e.code) ? new RetryableError(error) : error);
      });
      if (form !== undefined) req.end(form);
      else req.end();
    });
  }
}

class RetryableError extends Error {
  constructor(override readonly cause: PrometheusError) {
    super(cause.message);
  }
}
