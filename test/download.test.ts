/** Attachment downloads: allowed hosts only, no redirects, a timeout, a size cap while streaming. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DownloadRefused, downloadAttachment, refuseAttachmentUrl } from '../src/bot/download.js';

const DISCORD = ['cdn.discordapp.com', 'media.discordapp.net'];

async function withServer(handler: http.RequestListener, fn: (base: string, hits: string[]) => Promise<void>): Promise<void> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('which URLs may be fetched', () => {
  const allowed = { discordHosts: DISCORD, allowedHosts: ['files.example.org', '127.0.0.1:9000'] };
  assert.equal(refuseAttachmentUrl('https://cdn.discordapp.com/attachments/1/2/a.md', allowed), null);
  assert.equal(refuseAttachmentUrl('https://files.example.org/a.md', allowed), null);
  assert.equal(refuseAttachmentUrl('http://files.example.org/a.md', allowed), null);
  assert.equal(refuseAttachmentUrl('http://127.0.0.1:9000/a.md', allowed), null, 'host:port entries match');
  assert.match(refuseAttachmentUrl('http://127.0.0.1:9001/a.md', allowed)!, /not from 127\.0\.0\.1/);
  assert.match(refuseAttachmentUrl('http://cdn.discordapp.com/a.md', allowed)!, /https only/);
  assert.match(refuseAttachmentUrl('https://cdn.discordapp.com.evil.net/a.md', allowed)!, /not from/);
  assert.match(refuseAttachmentUrl('ftp://files.example.org/a.md', allowed)!, /http\(s\) only/);
  assert.match(refuseAttachmentUrl('not a url', allowed)!, /not a valid URL/);
});

test('downloads from an allowed host; refuses a redirect, an oversized body and a slow server', async () => {
  await withServer(
    (req, res) => {
      if (req.url === '/ok.md') res.end('# Title\n\nText.\n');
      else if (req.url === '/redirect.md') res.writeHead(302, { location: 'http://example.com/x.md' }).end();
      else if (req.url === '/declared-big.md') res.writeHead(200, { 'content-length': '2000' }).end('x'.repeat(2000));
      else if (req.url === '/streamed-big.md') {
        // No Content-Length: the cap must hold while streaming.
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        const timer = setInterval(() => res.write('y'.repeat(256)), 1);
        res.on('close', () => clearInterval(timer));
      } else if (req.url === '/slow.md') setTimeout(() => res.end('late'), 2_000).unref();
      else res.writeHead(404).end();
    },
    async (base, hits) => {
      const options = { discordHosts: DISCORD, allowedHosts: [new URL(base).host], maxBytes: 1000, timeoutMs: 300, idleTimeoutMs: 5_000 };
      assert.equal(Buffer.from(await downloadAttachment(`${base}/ok.md`, options)).toString(), '# Title\n\nText.\n');
      await assert.rejects(downloadAttachment(`${base}/redirect.md`, options), DownloadRefused);
      await assert.rejects(downloadAttachment(`${base}/declared-big.md`, options), /too large: 2000 bytes/);
      await assert.rejects(downloadAttachment(`${base}/streamed-big.md`, options), /too large: more than 1000 bytes/);
      await assert.rejects(downloadAttachment(`${base}/slow.md`, options), /longer than 0.3 s/);
      await assert.rejects(downloadAttachment(`${base}/missing.md`, options), /HTTP 404/);
      const before = hits.length;
      await assert.rejects(downloadAttachment(`${base}/ok.md`, { ...options, allowedHosts: [] }), /only from Discord/);
      assert.equal(hits.length, before, 'a refused host is never contacted');
    },
  );
});

/** The garbage collector, to show the timers survive a collection mid-download. */
const gc: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

test('a host that drips or stalls is cut off by the total and the idle timeout, even across garbage collections', { timeout: 20_000 }, async () => {
  await withServer(
    (req, res) => {
      res.writeHead(200, { 'content-type': 'text/markdown' });
      if (req.url === '/drip.md') {
        // One byte every 50 ms: never idle, never done.
        const timer = setInterval(() => res.write('x'), 50);
        res.on('close', () => clearInterval(timer));
      } else if (req.url === '/stall.md') {
        res.write('# Title\n\n'); // headers and a first chunk, then silence
      }
    },
    async (base) => {
      const options = { discordHosts: DISCORD, allowedHosts: [new URL(base).host], maxBytes: 1_000_000 };
      const collecting = setInterval(gc, 20);
      try {
        let started = performance.now();
        await assert.rejects(downloadAttachment(`${base}/drip.md`, { ...options, timeoutMs: 800, idleTimeoutMs: 400 }), /took longer than 0\.8 s/);
        const dripMs = performance.now() - started;
        started = performance.now();
        await assert.rejects(downloadAttachment(`${base}/stall.md`, { ...options, timeoutMs: 30_000, idleTimeoutMs: 300 }), /no data for 0\.3 s/);
        const stallMs = performance.now() - started;
        // Generous bounds: the point is that the download ends at all, not how punctually.
        assert.ok(dripMs < 10_000, `the dripping download ended after ${Math.round(dripMs)} ms`);
        assert.ok(stallMs < 10_000, `the stalled download ended after ${Math.round(stallMs)} ms, not at the 30 s total`);
      } finally {
        clearInterval(collecting);
      }
    },
  );
});
