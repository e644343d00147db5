import { isIP } from 'node:net';

/** How long certificates the agent makes are valid, in days (`openssl -days`). */
export const VALID_DAYS = '3650';

/** `openssl req` arguments for a new unencrypted EC P-256 key: small, fast to make. */
export const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** `IP:127.0.0.1,DNS:localhost,…`: the names given, then localhost and 127.0.0.1, once each. */
export function subjectAltNames(names: string[]): string {
  const unique = new Set([...names, 'localhost', '127.0.0.1']);
  return [...unique].map((name) => `${isIP(name) ? 'IP' : 'DNS'}:${name}`).join(',');
}
