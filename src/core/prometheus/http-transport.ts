import http from 'node:http';
import https from 'node:https';
import { PrometheusError } from './errors.js';

// One Prometheus HTTP request: timeout, retries of transient failures, and a message per failure that says
// what to fix. Every wait is bounded: a request waits at most `timeoutMs`; a timed-out request is not
// retried (a Prometheus that is too slow stays too slow), refused connections and 429/502/503/504 are.

const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN']);
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const TLS_CODES = /^(CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_|ERR_TLS_|HOSTNAME_MISMATCH|ERR_SSL_)/;

export interface TransportOptions {
  headers?: Record<string, string>;
  ca?: Buffer;
  insecureSkipTlsVerify?: boolean;
  timeoutMs: number;
  retries: number;
  retryBaseDelayMs: number;
  decorateRequest?: (options: https.RequestOptions) => Promise<void>;
  signal?: AbortSignal;
}

const cancelled = () => new PrometheusError('cancelled', 'The scan was cancelled.');

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** For messages: the URL without credentials. */
  where: string;
  /** The base URL, for messages that point at the configuration. */
  displayUrl: string;
  form?: string;
}

/** Sends the request, retrying transient failures with exponential backoff; resolves with the parsed JSON. */
export async function requestJson(
  options: TransportOptions,
  request: TransportRequest,
  onAttempt: () => void,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw cancelled();
    try {
      onAttempt();
      return await requestOnce(options, request, attempt + 1);
    } catch (error) {
      if (!(error instanceof RetryableError) || attempt >= options.retries) {
        throw error instanceof RetryableError ? error.cause : error;
      }
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, options.retryBaseDelayMs * 2 ** attempt);
        options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), {
          once: true,
        });
      });
    }
  }
}

async function requestOnce(
  options: TransportOptions,
  request: TransportRequest,
  attempt: number,
): Promise<unknown> {
  const { url, where, form } = request;
  const isHttps = url.protocol === 'https:';
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    headers['Content-Length'] = String(Buffer.byteLength(form));
  }
  const requestOptions: https.RequestOptions = {
    method: request.method,
    headers,
    ...(isHttps ? { ca: options.ca, rejectUnauthorized: !options.insecureSkipTlsVerify } : {}),
    // Node destroys the request (and its socket) when the signal aborts.
    ...(options.signal ? { signal: options.signal } : {}),
  };
  if (options.decorateRequest) {
    await options.decorateRequest(requestOptions);
    // The kubeconfig decorator installs an https agent; plain-http API servers (local test clusters) need none.
    if (!isHttps) delete requestOptions.agent;
  }
  const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';

  return new Promise((resolve, reject) => {
    const req = (isHttps ? https : http).request(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) =>
        reject(
          options.signal?.aborted
            ? cancelled()
            : new PrometheusError('unreachable', `Connection to ${where} broke: ${e.message}`),
        ),
      );
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        const outcome = answer(status, text, where, tries);
        if (outcome.ok) resolve(outcome.json);
        else reject(outcome.error);
      });
    });
    req.setTimeout(options.timeoutMs, () => {
      req.destroy(
        new PrometheusError(
          'timeout',
          (name) =>
            `${where} did not answer within ${options.timeoutMs / 1000} s (${name('prometheus_timeout')}, the limit for each request; a request that times out is not retried). Raise it for a slow or large Prometheus, or check that the URL points at Prometheus.`,
        ),
      );
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof PrometheusError) return reject(e);
      if (options.signal?.aborted) return reject(cancelled());
      if (e.code && TLS_CODES.test(e.code)) {
        return reject(
          new PrometheusError(
            'tls',
            (name) =>
              `The TLS certificate of ${request.displayUrl} could not be verified (${e.code}). Give its CA with ${name('prometheus_ca_file')}, or set ${name('prometheus_skip_tls_verify')} if you accept the risk.`,
          ),
        );
      }
      const error = new PrometheusError(
        'unreachable',
        (name) =>
          `Cannot reach Prometheus at ${request.displayUrl} (${e.code ?? e.message})${tries}. Check the URL (${name('prometheus_url')}) and that Prometheus is running.`,
      );
      reject(e.code && RETRYABLE_CODES.has(e.code) ? new RetryableError(error) : error);
    });
    if (form !== undefined) req.end(form);
    else req.end();
  });
}

type Answer = { ok: true; json: unknown } | { ok: false; error: Error };

/** What a response means: the JSON to use, or the error to report (retryable or not). */
function answer(status: number, text: string, where: string, tries: string): Answer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (status === 401) {
    return {
      ok: false,
      error: new PrometheusError(
        'unauthorized',
        (name) =>
          `${where} answered 401 Unauthorized: give credentials with ${name('prometheus_auth')} (e.g. "Bearer <token>" or "Basic <base64>").`,
        401,
      ),
    };
  }
  if (status === 403) {
    return {
      ok: false,
      error: new PrometheusError(
        'forbidden',
        `${where} answered 403 Forbidden: the credentials were accepted but may not query this Prometheus.`,
        403,
      ),
    };
  }
  // Prometheus answers 400/422/503 with an error JSON body for bad or failing queries.
  const isErrorBody =
    typeof json === 'object' && json !== null && 'status' in json && json.status === 'error';
  if (status >= 400 && isErrorBody) {
    if (RETRYABLE_STATUS.has(status))
      return {
        ok: false,
        error: new RetryableError(new PrometheusError('http', `${where} answered ${status}${tries}`, status)),
      };
    return { ok: true, json };
  }
  if (status < 200 || status >= 300) {
    const error = new PrometheusError(
      'http',
      `${where} answered HTTP ${status}${tries}${text ? `: ${text.slice(0, 200).trim()}` : ''}`,
      status,
    );
    return { ok: false, error: RETRYABLE_STATUS.has(status) ? new RetryableError(error) : error };
  }
  if (json === undefined) {
    return {
      ok: false,
      error: new PrometheusError(
        'bad-response',
        `${where} answered something that is not JSON (starts with ${JSON.stringify(text.slice(0, 60))}). Is this URL a Prometheus-compatible API?`,
      ),
    };
  }
  return { ok: true, json };
}

class RetryableError extends Error {
  constructor(override readonly cause: PrometheusError) {
    super(cause.message);
  }
}
