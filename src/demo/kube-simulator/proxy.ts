// The services/proxy subresource: /api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}.
// krr reaches an in-cluster Prometheus this way, so the request is forwarded to a configured upstream.

import { request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceRegistry } from './registry.js';
import { notFound, serviceUnavailable } from './status.js';
import type { ObjectStore } from './store.js';

export interface ServiceRef {
  scheme?: string;
  name: string;
  port?: string;
}

/** Parses "{name}", "{name}:{port}" and "{scheme}:{name}:{port}" (port may be a number or a port name). */
export function parseServiceRef(text: string): ServiceRef {
  const parts = text.split(':');
  if (parts.length >= 3) return { scheme: parts[0], name: parts[1] ?? '', port: parts.slice(2).join(':') };
  if (parts.length === 2) return { name: parts[0] ?? '', port: parts[1] };
  return { name: text };
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Headers the API server does not pass through (hop-by-hop, and the caller's credentials). */
const DROPPED = new Set([
  'authorization',
  'connection',
  'host',
  'content-length',
  'transfer-encoding',
  'keep-alive',
]);

export function forward(
  upstream: string,
  method: string,
  rest: string,
  query: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  serviceName: string,
  signal?: AbortSignal,
): Promise<ProxyResponse> {
  const base = new URL(upstream);
  const basePath = base.pathname.replace(/\/$/, '');
  const target = new URL(`${basePath}/${rest}${query}`, base);
  const outHeaders: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!DROPPED.has(key) && typeof value === 'string') outHeaders[key] = value;
  }
  if (body.length > 0) outHeaders['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(target, { method, headers: outHeaders, ...(signal ? { signal } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [key, value] of Object.entries(res.headers)) {
          if (!DROPPED.has(key) && typeof value === 'string') out[key] = value;
        }
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', (error) =>
      reject(
        serviceUnavailable(`error trying to reach service: ${error.message} (service "${serviceName}")`),
      ),
    );
    req.end(body);
  });
}

export interface ProxyContext {
  store: ObjectStore;
  registry: ResourceRegistry;
  /** "namespace/name:port" → upstream base URL. */
  proxies: Map<string, string>;
}

/** Serves services/{ref}/proxy/{rest} from the configured upstream of the service's port. */
export async function proxyToService(
  context: ProxyContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  namespace: string,
  ref: ServiceRef,
): Promise<void> {
  const serviceType = context.registry.find('', 'v1', 'services');
  const service = serviceType ? context.store.read(serviceType, namespace, ref.name) : undefined;
  if (!service) throw notFound('services', '', ref.name);
  const ports =
    (service.spec as { ports?: Array<{ port?: number; name?: string }> } | undefined)?.ports ?? [];
  const port = ports.find(
    (p) => ref.port === undefined || String(p.port) === ref.port || p.name === ref.port,
  );
  if (!port) throw serviceUnavailable(`no endpoints available for service "${ref.name}"`);
  const upstream =
    context.proxies.get(`${namespace}/${ref.name}:${port.port}`) ??
    context.proxies.get(`${namespace}/${ref.name}:${ref.port}`);
  if (!upstream) throw serviceUnavailable(`no endpoints available for service "${ref.name}"`);
  // Like Go's proxy handler: the remainder is decoded (client-node sends "api%2Fv1%2Fquery") and
  // re-escaped when the upstream URL is built, so "/" separates segments again.
  const marker = '/proxy';
  const rawPath = url.pathname;
  const at = rawPath.indexOf(marker, rawPath.indexOf('/services/'));
  const rest = encodeURI(decodeURIComponent(rawPath.slice(at + marker.length).replace(/^\//, '')));
  // As the API server does, a caller that goes away cancels the upstream request: a cancelled scan must not
  // keep the Prometheus behind the proxy busy.
  const gone = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  const answer = await forward(
    upstream,
    req.method ?? 'GET',
    rest,
    url.search,
    req.headers,
    body,
    ref.name,
    gone.signal,
  );
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
