/**
 * Discord signs every interaction it posts: Ed25519 over the `X-Signature-Timestamp` header
 * followed by the raw body, with the application's key (DISCORD_PUBLIC_KEY, hex, from the
 * Developer Portal). A request that is unsigned, signed wrongly, or signed too long ago (a replay)
 * is refused before anything else looks at it; so is a second delivery of the same interaction
 * to this replica.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** How far the signed timestamp may be from this machine's clock, either way. */
export const DEFAULT_MAX_SKEW_SECONDS = 300;

export type Verdict = { ok: true } | { ok: false; reason: string };

export interface SignatureVerifier {
  /** Checks the signature headers against the raw body. */
  check(signature: string | undefined, timestamp: string | undefined, body: Buffer): Verdict;
  /** Remembers an interaction id; false when it was seen already (a replay inside the window). */
  firstDelivery(interactionId: string): boolean;
}

/** A 32-byte Ed25519 public key given as 64 hex digits. */
export function ed25519PublicKey(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('must be the 64 hex digits of the application\'s public key (Developer Portal, General Information)');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

export function createVerifier(publicKeyHex: string, options: { maxSkewSeconds?: number; now?: () => number } = {}): SignatureVerifier {
  const key = ed25519PublicKey(publicKeyHex);
  const maxSkew = options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  const now = options.now ?? (() => Date.now() / 1000);
  /** Interaction ids delivered within the window, with when they may be forgotten. */
  const delivered = new Map<string, number>();

  return {
    check(signature, timestamp, body) {
      if (!signature || !timestamp) return { ok: false, reason: 'unsigned: X-Signature-Ed25519 and X-Signature-Timestamp are required' };
      if (!/^[0-9a-f]{128}$/i.test(signature)) return { ok: false, reason: 'malformed signature' };
      if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
      const valid = verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
      if (!valid) return { ok: false, reason: 'bad signature' };
      // Checked after the signature, so the timestamp is the one Discord signed.
      if (Math.abs(now() - Number(timestamp)) > maxSkew) return { ok: false, reason: `stale: signed more than ${maxSkew} s from now` };
      return { ok: true };
    },
    firstDelivery(interactionId) {
      const t = now();
      // Forget what has left the window (a replay of it is refused as stale anyway). Entries are
      // in arrival order, so the expired ones are at the front.
      for (const [id, until] of delivered) {
        if (until >= t) break;
        delivered.delete(id);
      }
      if (delivered.has(interactionId)) return false;
      delivered.set(interactionId, t + 2 * maxSkew);
      return true;
    },
  };
}
