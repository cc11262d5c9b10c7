// A reverse proxy in front of Prometheus that keeps every request our scan sends (method, path, form body),
// so that the bench can replay exactly those requests straight at Prometheus (prometheus-lower-bound.ts).
// The scan itself is unchanged: it only gets the proxy's URL as its `-p`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRequest } from '../test/support/prometheus/forward-request.js';

export interface RecordedRequest {
  method: string;
  /** Path and query string, as the scan sent them. */
  path: string;
  body: string;
  contentType: string | undefined;
  /** The size of Prometheus' answer. */
  responseBytes: number;
}

export interface RecordingProxy {
  url: string;
  /** In the order the scan sent them. */
  readonly requests: RecordedRequest[];
  stop(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        body,
        contentType: req.headers['content-type'],
        responseBytes: 0,
      };
      requests.push(recorded);
      forwardRequest(upstream, req, body, res, (c) => (recorded.responseBytes += c.length));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
