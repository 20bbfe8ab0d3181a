/**
 * The HTTP server of interactions mode (INTERACTIONS_PORT): Discord posts every interaction to
 * POST /interactions; a load balancer asks GET /healthz whether this replica takes traffic.
 *
 * Order of checks on POST /interactions, each refusal ending the request before the next step:
 *   1. signature headers present (else 401), declared size within the limit (else 413);
 *   2. the body, read up to the limit (413 past it) within the request timeout (408);
 *   3. the Ed25519 signature and its timestamp (401 bad or stale) — nothing is parsed before;
 *   4. JSON with an interaction's shape (400), not delivered here before (401 replayed);
 *   5. the responder: PONG, or the command's first response, within Discord's 3 s.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIInteraction, APIInteractionResponse } from 'discord.js';
import type { Logger } from '../log.js';
import type { SignatureVerifier } from './verify.js';

/** Interaction payloads are a few KB (a 6000-character option at most, plus resolved objects). */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;
/** The whole request (headers and body) must arrive within this. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface Readiness {
  /** Take traffic? (false: 503, the balancer sends it elsewhere.) */
  ready: boolean;
  /** 'degraded': answering, but the knowledge store is unavailable (no changes possible). */
  status: 'starting' | 'ok' | 'degraded' | 'stopping';
  [detail: string]: unknown;
}

export interface InteractionsServerOptions {
  port: number;
  host?: string;
  verifier: SignatureVerifier;
  respond: (payload: APIInteraction) => Promise<APIInteractionResponse>;
  readiness: () => Readiness;
  logger: Logger;
  bodyLimitBytes?: number;
  requestTimeoutMs?: number;
}

export interface InteractionsServer {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startInteractionsServer(options: InteractionsServerOptions): Promise<InteractionsServer> {
  const log = options.logger.child({ component: 'http' });
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    if (res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  async function interactions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const signature = header(req, 'x-signature-ed25519');
    const timestamp = header(req, 'x-signature-timestamp');
    if (!signature || !timestamp) throw new HttpError(401, 'unsigned: X-Signature-Ed25519 and X-Signature-Timestamp are required');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) throw new HttpError(413, `body over ${limit} bytes`);
    const body = await readBody(req, limit);
    const verdict = options.verifier.check(signature, timestamp, body);
    if (!verdict.ok) throw new HttpError(401, verdict.reason);
    let payload: APIInteraction;
    try {
      payload = JSON.parse(body.toString('utf8')) as APIInteraction;
    } catch {
      throw new HttpError(400, 'body is not JSON');
    }
    if (!isInteraction(payload)) throw new HttpError(400, 'not an interaction');
    if (!options.verifier.firstDelivery(payload.id)) throw new HttpError(401, 'replayed: this interaction was delivered already');
    const response = await options.respond(payload);
    send(res, 200, response);
  }

  // How often Node looks for requests past their timeout (its default, 30 s, would let a stalled
  // request live three times longer than the limit).
  const server = createServer({ connectionsCheckingInterval: Math.max(100, Math.min(1000, timeoutMs / 2)) }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'GET only' });
      const report = options.readiness();
      return send(res, report.ready ? 200 : 503, report);
    }
    if (path !== '/interactions') return send(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
    interactions(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        // Unsigned requests are scanners' noise (debug); a bad or stale signature is worth a look.
        const level = err.message.startsWith('unsigned') ? 'debug' : 'warn';
        log[level]({ status: err.status, reason: err.message, remote: req.socket.remoteAddress }, 'interaction request refused');
        send(res, err.status, { error: err.message });
        // A refused body may still be arriving: do not read it, end the connection.
        if (!req.complete) res.once('finish', () => req.destroy());
      } else {
        log.error({ err }, 'interaction request failed');
        send(res, 500, { error: 'internal error' });
      }
    });
  });
  // Slow or stalled senders lose their connection (Node answers 408).
  server.requestTimeout = timeoutMs;
  server.headersTimeout = Math.min(timeoutMs, 60_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, host: options.host ?? '0.0.0.0', bodyLimitBytes: limit, requestTimeoutMs: timeoutMs }, 'taking interactions over HTTP (POST /interactions)');
  return {
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new HttpError(413, `body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new HttpError(400, 'request aborted')));
  });
}

function isInteraction(value: unknown): value is APIInteraction {
  const v = value as Partial<Record<string, unknown>> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.token === 'string' &&
    typeof v.application_id === 'string' &&
    typeof v.type === 'number' &&
    [1, 2, 3, 4, 5].includes(v.type)
  );
}
