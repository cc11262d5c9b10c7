// The HTTP front of the simulator: request log, injected faults, authentication, RBAC, and routing of
// discovery, resource and service-proxy paths, on 127.0.0.1 with plain HTTP.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubernetesVersion, SimBehaviour, SimNode } from './behaviour.js';
import type { SimClock } from './clock.js';
import type { ControllerManager } from './controllers/manager.js';
import { coreVersions, group, groupList, resourceList, versionInfo } from './discovery.js';
import { FaultInjector } from './faults.js';
import { writeKubeconfigFile, type KubeconfigOptions } from './kubeconfig.js';
import { parseServiceRef, proxyToService } from './proxy.js';
import { allowed, DEFAULT_USER, forbiddenError, type AccessRequest, type RbacRule } from './rbac.js';
import { ResourceRegistry } from './registry.js';
import { PodResizeHandler } from './resize.js';
import { ResourceHandlers, type ResourceRequest } from './resources.js';
import {
  methodNotAllowed,
  notFound,
  pathNotFound,
  statusForCode,
  StatusError,
  unauthorized,
} from './status.js';
import { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';
import { simulatedCluster } from './simulated-cluster.js';
import type { WatchHub } from './watch.js';

export interface KubeSimulatorOptions {
  objects?: KubeObject[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** RBAC rules for the (single) user; absent = allow everything. */
  rbac?: RbacRule[];
  /** Serve argoproj.io/v1alpha1 rollouts, as a cluster with the Argo Rollouts CRD does. */
  rolloutsCrd?: boolean;
  /** "namespace/name:port" → upstream base URL for the services/proxy subresource. */
  serviceProxies?: Record<string, string>;
  /** The user named in Forbidden messages. */
  user?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** What /version says and which behaviour follows from it (pods/resize from 1.33). Default "1.30". */
  kubernetesVersion?: KubernetesVersion;
  /**
   * Run the Deployment, ReplicaSet, StatefulSet and DaemonSet controllers, the scheduler and the kubelets.
   * Off by default: then nothing but a client changes an object, which is what most tests want.
   */
  controllers?: boolean;
  /** The nodes the scheduler and the kubelets see; default three of 4 CPUs and 16Gi, named after the pods' nodes. */
  nodes?: SimNode[];
  /** Where the simulated clock starts (default: now). */
  clockStart?: Date;
  /**
   * The simulated clock follows the wall clock (ticks of a second) until stop(), for a person clicking
   * through the demo: rollouts progress, back-offs end and OOM kills come in real time. Default false: only
   * `clock.advance()` moves it, which is what tests want.
   */
  wallClock?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set once the response is written; undefined for a request still hanging. */
  status?: number;
}

export interface KubeSimulator {
  url: string;
  port: number;
  store: ObjectStore;
  requests: RecordedRequest[];
  faults: FaultInjector;
  registry: ResourceRegistry;
  /** The simulated time controllers and kubelets run on; only advance() moves it (or the wall clock, with wallClock). */
  clock: SimClock;
  /** Version, nodes, start-up time and the faults the kubelets act out. */
  behaviour: SimBehaviour;
  /** Open watches: count them, wait for them, end them, or expire their history. */
  watches: WatchHub;
  /** Present when started with `controllers: true`. */
  controllers?: ControllerManager;
  setRbac(rules: RbacRule[] | undefined): void;
  setServiceProxy(key: string, upstream: string | undefined): void;
  /** Writes a kubeconfig for this simulator and returns its path. */
  writeKubeconfig(path: string, options?: KubeconfigOptions): string;
  stop(): Promise<void>;
}

const DISCOVERY_PATHS = new Set([
  '/version',
  '/api',
  '/apis',
  '/healthz',
  '/livez',
  '/readyz',
  '/openapi/v2',
]);

interface ParsedPath {
  group: string;
  version: string;
  /** Empty for the group-version discovery document. */
  resource?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Splits /api/v1/... and /apis/{group}/{version}/... into the parts of a resource request. */
function parsePath(segments: string[]): ParsedPath | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments[1] !== undefined) {
    [group, version, rest] = ['', segments[1], segments.slice(2)];
  } else if (segments[0] === 'apis' && segments[1] !== undefined && segments[2] !== undefined) {
    [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
  } else {
    return undefined;
  }
  if (rest.length === 0) return { group, version };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return { group, version, namespace: rest[1], resource: rest[2], name: rest[3], subresource: rest[4] };
  }
  return { group, version, resource: rest[0], name: rest[1], subresource: rest[2] };
}

function verbFor(method: string, parsed: ParsedPath, query: URLSearchParams): string {
  const named = parsed.name !== undefined;
  if (parsed.subresource === 'proxy') {
    return (
      { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ??
      'get'
    );
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (named) return 'get';
      return query.get('watch') === 'true' || query.get('watch') === '1' ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'content-type': 'application/json',
    'audit-id': randomUUID(),
    'cache-control': 'no-cache, private',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export async function startKubeSimulator(options: KubeSimulatorOptions = {}): Promise<KubeSimulator> {
  const registry = new ResourceRegistry({ rolloutsCrd: options.rolloutsCrd ?? false });
  const store = new ObjectStore(registry);
  for (const object of options.objects ?? []) store.put(object);
  const handlers = new ResourceHandlers(registry, store);
  const { clock, behaviour, watches, controllers } = simulatedCluster(store, registry, options);
  const podType = registry.find('', 'v1', 'pods')!;
  const resize = new PodResizeHandler(store, podType, () => behaviour.minor);
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const proxies = new Map(Object.entries(options.serviceProxies ?? {}));
  const user = options.user ?? DEFAULT_USER;
  let rules = options.rbac;

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const method = req.method ?? 'GET';
    const pathname = url.pathname.replace(/\/+$/, '') || '/';
    const fault = faults.take(req, url.pathname);
    if (fault) {
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.hang) return;
      if (fault.status !== undefined) {
        sendJson(res, fault.status, fault.body ?? statusForCode(fault.status));
        return;
      }
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`)
      throw unauthorized();

    if (DISCOVERY_PATHS.has(pathname)) {
      if (method !== 'GET') throw methodNotAllowed(method);
      if (pathname === '/version') return sendJson(res, 200, versionInfo(behaviour.kubernetesVersion));
      if (pathname === '/api') return sendJson(res, 200, coreVersions());
      if (pathname === '/apis') return sendJson(res, 200, groupList(registry));
      if (pathname === '/openapi/v2') throw pathNotFound();
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    const segments = pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    if (segments[0] === 'apis' && segments.length === 2 && segments[1] !== undefined) {
      const doc = group(registry, segments[1]);
      if (!doc || method !== 'GET') throw pathNotFound();
      return sendJson(res, 200, doc);
    }
    const parsed = parsePath(segments);
    if (!parsed) throw pathNotFound();
    if (parsed.resource === undefined) {
      const doc = registry.groupVersions(parsed.group).includes(parsed.version)
        ? resourceList(registry, parsed.group, parsed.version, { podResize: behaviour.minor >= 33 })
        : undefined;
      if (!doc || method !== 'GET') throw pathNotFound();
      return sendJson(res, 200, doc);
    }
    // Discovery happened above; everything from here is a resource request subject to RBAC.
    const isProxy = parsed.group === '' && parsed.resource === 'services' && parsed.subresource === 'proxy';
    const serviceRef = isProxy && parsed.name ? parseServiceRef(parsed.name) : undefined;
    const access: AccessRequest = {
      verb: verbFor(method, parsed, url.searchParams),
      group: parsed.group,
      resource: parsed.resource,
      ...(parsed.subresource ? { subresource: parsed.subresource } : {}),
      ...(parsed.namespace ? { namespace: parsed.namespace } : {}),
      ...(parsed.name ? { name: parsed.name } : {}),
    };
    if (!allowed(rules, access)) throw forbiddenError(user, access);

    const type = registry.find(parsed.group, parsed.version, parsed.resource);
    if (!type) throw pathNotFound();
    if (parsed.namespace !== undefined && !type.namespaced) throw pathNotFound();
    if (isProxy && serviceRef && parsed.namespace !== undefined) {
      return proxyToService({ store, registry, proxies }, req, res, url, body, parsed.namespace, serviceRef);
    }
    const isResize = type === podType && parsed.subresource === 'resize' && behaviour.minor >= 33;
    if (parsed.subresource !== undefined && !isResize) throw pathNotFound();
    if (type.namespaced && parsed.namespace === undefined && parsed.name !== undefined) throw pathNotFound();
    // Reads in a missing namespace just find nothing, but creating there names the namespace.
    if (
      method === 'POST' &&
      type.namespaced &&
      parsed.namespace !== undefined &&
      !store.get('Namespace', undefined, parsed.namespace)
    ) {
      throw notFound('namespaces', '', parsed.namespace);
    }
    const request: ResourceRequest = {
      type,
      ...(parsed.namespace !== undefined ? { namespace: parsed.namespace } : {}),
      ...(parsed.name !== undefined ? { name: parsed.name } : {}),
      query: url.searchParams,
      contentType: req.headers['content-type'] ?? '',
      body,
      userAgent: req.headers['user-agent'] ?? '',
    };
    const named = parsed.name !== undefined;
    // The controllers react to a write before its response goes out: the client then reads a settled cluster.
    const answer = (code: number, body: object) => {
      controllers?.settle();
      sendJson(res, code, body);
    };
    if (isResize) {
      if (method === 'GET') return answer(200, resize.get(request));
      if (method === 'PATCH' || method === 'PUT') return answer(200, resize.update(request, method));
      throw methodNotAllowed(method);
    }
    if ((method === 'GET' || method === 'HEAD') && named) return answer(200, handlers.get(request));
    if (method === 'GET' && !named) {
      if (access.verb === 'watch') return watches.serve(res, type, parsed.namespace, url.searchParams);
      return answer(200, handlers.list(request));
    }
    if (method === 'PATCH' && named) return answer(200, handlers.patch(request));
    if (method === 'PUT' && named) return answer(200, handlers.replace(request));
    if (method === 'POST' && !named) return answer(201, handlers.create(request));
    if (method === 'DELETE' && named) return answer(200, handlers.delete(request));
    throw methodNotAllowed(method);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: body.toString('utf8'),
      };
      requests.push(record);
      res.on('finish', () => {
        record.status = res.statusCode;
      });
      route(req, res, url, body).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof StatusError) {
          sendJson(res, error.status.code, error.status);
        } else {
          sendJson(
            res,
            500,
            statusForCode(500, `simulator error: ${(error as Error).stack ?? String(error)}`),
          );
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    store,
    requests,
    faults,
    registry,
    clock,
    behaviour,
    watches,
    ...(controllers ? { controllers } : {}),
    setRbac(next) {
      rules = next;
    },
    setServiceProxy(key, upstream) {
      if (upstream === undefined) proxies.delete(key);
      else proxies.set(key, upstream);
    },
    writeKubeconfig(path, kubeconfigOptions) {
      return writeKubeconfigFile(path, url, options.token, kubeconfigOptions);
    },
    stop() {
      return new Promise<void>((resolve) => {
        clock.stopFollowingWallClock();
        watches.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
