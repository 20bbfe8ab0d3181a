/**
 * A health probe for the container's HEALTHCHECK (slim images have no curl or wget):
 *
 *   node dist/src/ops/healthcheck.js      exit 0 when GET /healthz answers 200, 1 otherwise
 *
 * It asks the server this container runs, on HEALTH_PORT; a HEALTH_HOST of 0.0.0.0 / :: (every
 * address) is reached over loopback. Without HEALTH_PORT there is nothing to ask: it says so and
 * fails, since a container told to be health-checked without a health server is misconfigured.
 * Standalone on purpose: node builtins only, quick to start every interval.
 */
import { request } from 'node:http';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 4_000;

export function probeTarget(env: NodeJS.ProcessEnv): { host: string; port: number } | null {
  const port = Number(env.HEALTH_PORT?.trim() || NaN);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return null;
  const configured = env.HEALTH_HOST?.trim() || '127.0.0.1';
  const host = configured === '0.0.0.0' ? '127.0.0.1' : configured === '::' || configured === '[::]' ? '::1' : configured.replace(/^\[|\]$/g, '');
  return { host, port };
}

/** Resolves with [ok, one line saying why]. */
export function probe(host: string, port: number, timeoutMs = TIMEOUT_MS): Promise<[boolean, string]> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/healthz', method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 10_000) body += chunk;
      });
      res.on('end', () => {
        let reason = '';
        try {
          reason = (JSON.parse(body) as { reason?: string }).reason ?? '';
        } catch {
          reason = body.trim().slice(0, 200);
        }
        resolve([res.statusCode === 200, `${res.statusCode}${reason ? `: ${reason}` : ''}`]);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => resolve([false, `cannot reach ${host}:${port}: ${err.code ?? err.message}`]));
    req.end();
  });
}

async function main(): Promise<void> {
  const target = probeTarget(process.env);
  if (!target) {
    process.stderr.write('healthcheck: HEALTH_PORT is not set, so no health server runs to ask\n');
    process.exitCode = 1;
    return;
  }
  const [ok, why] = await probe(target.host, target.port);
  (ok ? process.stdout : process.stderr).write(`healthcheck: ${why}\n`);
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolvePath(process.argv[1])).href) await main();
