import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { z } from 'zod';
import { PrometheusError } from './errors.js';
import { requestJson, type TransportOptions } from './http-transport.js';
import type { Sample, Series } from './series.js';
import { concatenateChunks, MAX_STEPS_PER_RANGE_QUERY, rangeChunks } from './range-chunks.js';
import type { ClusterLabel } from './promql.js';

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
  /** Steps per range query before it is split (Prometheus' own limit unless a backend needs fewer). */
  maxStepsPerQuery?: number;
  /** Adds credentials/TLS material to each request (used for the Kubernetes API-server proxy). */
  decorateRequest?: (options: https.RequestOptions) => Promise<void>;
  /** Aborting it stops the requests in flight and refuses new ones (a cancelled scan). */
  signal?: AbortSignal;
  /**
   * The label that selects one cluster's series in a Prometheus several clusters share (krr's
   * `--prometheus-label` and `-l`). It travels with the client so that every reading for the cluster (scan,
   * charts, the approval's evidence, verification) is scoped alike; none can forget it.
   */
  cluster?: ClusterLabel;
}

export type { Sample, Series } from './series.js';

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
const seriesResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('success'), data: z.array(z.unknown()) }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);

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
  /** Which cluster's series every query of this client must select, in a shared Prometheus. */
  readonly cluster: ClusterLabel | undefined;
  private readonly transport: TransportOptions;
  private readonly maxStepsPerQuery: number;
  /** Requests sent, for benchmarks and tests. */
  queryCount = 0;

  constructor(options: PrometheusConnectionOptions) {
    const invalid = (problem: string) =>
      new PrometheusError('invalid-url', (name) => `Invalid value for ${name('prometheus_url')}: ${problem}`);
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw invalid(`"${options.url}" is not a URL: expected http(s)://host[:port][/path]`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw invalid(`"${options.url}" must start with http:// or https://`);
    if (url.username || url.password)
      throw new PrometheusError(
        'invalid-url',
        (name) =>
          `Do not put credentials in the Prometheus URL (${name('prometheus_url')}); pass them as a header with ${name('prometheus_auth')}.`,
      );
    url.pathname = url.pathname.replace(/\/+$/, '');
    this.baseUrl = url;
    let ca: Buffer | undefined;
    if (options.caFile) {
      try {
        ca = readFileSync(options.caFile);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new PrometheusError(
          'invalid-url',
          (name) =>
            `Invalid value for ${name('prometheus_ca_file')}: cannot read ${options.caFile} (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}).`,
        );
      }
    }
    this.transport = {
      ...(options.headers ? { headers: options.headers } : {}),
      ...(ca ? { ca } : {}),
      ...(options.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
      ...(options.decorateRequest ? { decorateRequest: options.decorateRequest } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      timeoutMs: options.timeoutMs ?? 60_000,
      retries: options.retries ?? 2,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    };
    this.maxStepsPerQuery = options.maxStepsPerQuery ?? MAX_STEPS_PER_RANGE_QUERY;
    this.cluster = options.cluster;
  }

  /** The URL shown in messages: never includes headers or credentials. */
  get displayUrl(): string {
    return this.baseUrl.toString().replace(/\/$/, '');
  }

  /** Where the readings come from, for a person: the URL and, in a shared Prometheus, the cluster's label. */
  get displaySource(): string {
    return this.cluster
      ? `${this.displayUrl} (${this.cluster.name}=${JSON.stringify(this.cluster.value)})`
      : this.displayUrl;
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

  /**
   * A range query of any length: windows over Prometheus' points-per-series limit are read in consecutive
   * chunks, one after the other (the scan's concurrency already bounds the requests in flight).
   */
  async rangeQuery(query: string, start: number, end: number, stepSeconds: number): Promise<Series[]> {
    const results: Series[][] = [];
    for (const chunk of rangeChunks(start, end, stepSeconds, this.maxStepsPerQuery)) {
      const data = await this.query('/api/v1/query_range', {
        query,
        start: String(chunk.start),
        end: String(chunk.end),
        step: `${stepSeconds}s`,
      });
      if (data.resultType !== 'matrix') throw this.unexpected('a matrix', data.resultType, query);
      results.push(this.matrix(data.result, query));
    }
    return concatenateChunks(results);
  }

  /**
   * The label sets of every series matching one of the selectors that has data between `start` and `end`
   * (`/api/v1/series`): answered from the series index, without reading samples. Prometheus keeps a series
   * when one of its chunks overlaps the range (Thanos and VictoriaMetrics decide by block or by day), so the
   * answer may hold series whose samples all lie outside the range, never fewer than those with one inside.
   */
  async seriesLabels(
    selectors: readonly string[],
    start: number,
    end: number,
  ): Promise<Array<Record<string, string>>> {
    const form = new URLSearchParams({ start: String(start), end: String(end) });
    for (const selector of selectors) form.append('match[]', selector);
    const path = '/api/v1/series';
    const parsed = seriesResponseSchema.safeParse(await this.request('POST', path, form.toString()));
    const described = `series ${selectors.join(', ').slice(0, 200)}`;
    if (!parsed.success) {
      throw new PrometheusError(
        'bad-response',
        `${this.displayUrl}${path} answered JSON that is not a Prometheus API response. Is this URL a Prometheus-compatible API?`,
      );
    }
    if (parsed.data.status === 'error') throw this.rejected(parsed.data);
    return parsed.data.data.map((labels) => this.labels(labels, described));
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
    if (parsed.data.status === 'error') throw this.rejected(parsed.data);
    return parsed.data.data;
  }

  private rejected(answer: { errorType?: string | undefined; error?: string | undefined }): PrometheusError {
    return new PrometheusError(
      'query',
      `Prometheus rejected a query (${answer.errorType ?? 'error'}): ${answer.error ?? 'no message'}`,
    );
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

  private request(method: 'GET' | 'POST', path: string, form?: string): Promise<unknown> {
    const url = new URL(this.baseUrl.toString());
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    return requestJson(
      this.transport,
      {
        method,
        url,
        where: `${this.displayUrl}${path}`,
        displayUrl: this.displayUrl,
        ...(form !== undefined ? { form } : {}),
      },
      () => this.queryCount++,
    );
  }
}
