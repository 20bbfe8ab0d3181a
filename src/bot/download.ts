/**
 * Downloads an uploaded knowledge file, refusing anything it should not fetch: only http(s), only
 * from Discord's CDN (https) or hosts the operator lists in KNOWLEDGE_ATTACHMENT_HOSTS, no
 * redirects (one could lead off the allowed hosts), a total and an idle timeout, and a size cap
 * enforced while streaming (a server may lie about Content-Length, or send none).
 *
 * The timeouts are this module's own timers, not `AbortSignal.timeout`: that signal stops firing
 * once it is garbage-collected (a known Node/undici issue), and a host dripping a byte a second
 * then holds an upload open for good. Each timer aborts the request and cancels the body reader,
 * and every wait races them, so a download ends whatever the connection does.
 */

/** A download the bot would not or could not make; `message` is the reason shown to the moderator. */
export class DownloadRefused extends Error {
  override readonly name = 'DownloadRefused';
}

export interface DownloadOptions {
  /** Discord's CDN hosts: https only. */
  discordHosts: string[];
  /** Hosts the operator allows (hostname, or host:port), http or https. */
  allowedHosts: string[];
  maxBytes: number;
  /** The whole download, headers to last byte. */
  timeoutMs: number;
  /** Longest silence between two chunks (default: a third of timeoutMs, at most 10 s). */
  idleTimeoutMs?: number;
}

/** Why `url` may not be fetched, or null when it may. Nothing is fetched to decide. */
export function refuseAttachmentUrl(url: string, options: Pick<DownloadOptions, 'discordHosts' | 'allowedHosts'>): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the attachment URL is not a valid URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return `attachments are fetched over http(s) only, not ${parsed.protocol}`;
  const hostname = parsed.hostname.toLowerCase();
  const host = parsed.host.toLowerCase();
  if (options.allowedHosts.includes(hostname) || options.allowedHosts.includes(host)) return null;
  if (options.discordHosts.includes(hostname)) return parsed.protocol === 'https:' ? null : 'Discord attachments are fetched over https only';
  return `attachments are downloaded only from Discord or the hosts in KNOWLEDGE_ATTACHMENT_HOSTS, not from ${hostname}`;
}

/** The file's bytes; throws DownloadRefused with the reason. */
export async function downloadAttachment(url: string, options: DownloadOptions): Promise<Uint8Array> {
  const refused = refuseAttachmentUrl(url, options);
  if (refused) throw new DownloadRefused(refused);
  const idleMs = options.idleTimeoutMs ?? Math.min(options.timeoutMs / 3, 10_000);
  const controller = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let fail!: (err: DownloadRefused) => void;
  const expired = new Promise<never>((_, reject) => (fail = reject));
  expired.catch(() => undefined); // observed through the races below
  const expire = (reason: string) => {
    fail(new DownloadRefused(reason));
    controller.abort();
    void reader?.cancel().catch(() => undefined);
  };
  const total = setTimeout(() => expire(`the download took longer than ${options.timeoutMs / 1000} s`), options.timeoutMs);
  let idle = setTimeout(() => expire(`the host sent no data for ${idleMs / 1000} s`), idleMs);
  const heardFrom = () => {
    clearTimeout(idle);
    idle = setTimeout(() => expire(`the host sent no data for ${idleMs / 1000} s`), idleMs);
  };
  const within = <T>(step: Promise<T>): Promise<T> => Promise.race([step, expired]);
  try {
    let response: Response;
    try {
      response = await within(fetch(url, { redirect: 'error', signal: controller.signal }));
    } catch (err) {
      if (err instanceof DownloadRefused) throw err;
      throw new DownloadRefused(`the download failed: ${(err as Error).message}`);
    }
    heardFrom();
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadRefused(`the download failed: HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new DownloadRefused(`too large: ${declared} bytes, the limit is ${options.maxBytes} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (response.body) {
      reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await within(reader.read());
          if (done) break;
          heardFrom();
          size += value.byteLength;
          if (size > options.maxBytes) {
            await reader.cancel().catch(() => undefined);
            throw new DownloadRefused(`too large: more than ${options.maxBytes} bytes, the limit`);
          }
          chunks.push(value);
        }
      } catch (err) {
        if (err instanceof DownloadRefused) throw err;
        throw new DownloadRefused(`the download failed: ${(err as Error).message}`);
      }
    }
    return concat(chunks, size);
  } finally {
    clearTimeout(total);
    clearTimeout(idle);
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}
