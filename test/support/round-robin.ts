/**
 * A loopback load balancer for tests and the bench: each request goes to the next target port in
 * turn (round-robin), body and headers passed through unchanged, the answer passed back. A target
 * that refuses the connection is skipped for that request, as a balancer's health check would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobin {
  readonly url: string;
  /** The target ports, in turn order. */
  readonly targets: number[];
  close(): Promise<void>;
}

export async function startRoundRobin(targets: number[]): Promise<RoundRobin> {
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, tries: number): void => {
    const port = targets[next++ % targets.length];
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (tries + 1 < targets.length) forward(req, body, res, tries + 1);
      else if (!res.headersSent) res.writeHead(502).end();
    });
    upstream.end(body);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, Buffer.concat(chunks), res, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
