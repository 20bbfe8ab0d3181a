/** Ed25519 keys and signatures as Discord uses them for interactions sent to an endpoint URL. */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** A key pair; the public half as the Developer Portal shows it (64 hex digits). */
export function interactionKeyPair(): { publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { publicKey: Buffer.from(x, 'base64url').toString('hex'), privateKey };
}

/** The headers Discord sends with `body`: signature over timestamp + body. */
export function signedHeaders(body: string, key: KeyObject, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const t = String(timestamp);
  return { 'content-type': 'application/json', 'x-signature-ed25519': sign(null, Buffer.from(t + body), key).toString('hex'), 'x-signature-timestamp': t };
}
