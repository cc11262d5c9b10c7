// The forwarding half of the test and bench proxies in front of Prometheus (gated-proxy.ts, the bench's
// recording proxy): one request, its body already read, passed on to the upstream and its answer piped back.

import { request, type IncomingMessage, type ServerResponse } from 'node:http';

/** `onAnswerChunk` sees each chunk of the upstream's answer (e.g. to count its bytes). */
export function forwardRequest(
  upstream: URL,
  req: IncomingMessage,
  body: Buffer | string,
  res: ServerResponse,
  onAnswerChunk?: (chunk: Buffer) => void,
): void {
  const out = request(
    {
      hostname: upstream.hostname,
      port: upstream.port,
      path: req.url,
      method: req.method,
      headers: { ...req.headers, host: upstream.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (onAnswerChunk) answer.on('data', onAnswerChunk);
      answer.pipe(res);
    },
  );
  out.on('error', (error) => {
    if (res.headersSent) return void res.destroy();
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${error.message}`);
  });
  // A client that gave up (a cancelled scan) takes the upstream request with it.
  res.on('close', () => out.destroy());
  out.end(body);
}
