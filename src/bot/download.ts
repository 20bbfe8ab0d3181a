/**
 * Downloads an uploaded knowledge file, refusing anything it should not fetch: only http(s), only
 * from Discord's CDN (https) or hosts the operator lists in KNOWLEDGE_ATTACHMENT_HOSTS, no
 * redirects (one could lead off the allowed hosts), a timeout, and a size cap enforced while
 * streaming (a server may lie about Content-Length, or send none).
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
  timeoutMs: number;
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
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error', signal });
  } catch (err) {
    throw new DownloadRefused(signal.aborted ? `the download took longer than ${options.timeoutMs / 1000} s` : `the download failed: ${(err as Error).message}`);
  }
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
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > options.maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new DownloadRefused(`too large: more than ${options.maxBytes} bytes, the limit`);
        }
        chunks.push(value);
      }
    } catch (err) {
      if (err instanceof DownloadRefused) throw err;
      throw new DownloadRefused(signal.aborted ? `the download took longer than ${options.timeoutMs / 1000} s` : `the download failed: ${(err as Error).message}`);
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}
