import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import {
  ADDRESS_KIND_TEXT,
  type AllowEntry,
  classifyAddress,
  entryAllows,
} from '../common/outbound-address.js';

/** Resolves a name to all its addresses (dns.lookup with `all: true`; tests give their own). */
export type Resolver = (
  hostname: string,
  options: { family?: number; hints?: number },
) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname, options) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/** Why a URL may not be reached; `message` is fit for the user (names no resolved address). */
export class OutboundRefusedError extends Error {
  readonly code = 'EOUTBOUNDREFUSED';
}

/** The user-facing problem of one (host, address) pair, or null when it may be reached. */
export function addressProblem(
  hostname: string,
  address: string,
  rules: readonly AllowEntry[],
): string | null {
  if (rules.some((rule) => entryAllows(rule, hostname, address))) return null;
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  const text = kind === null ? 'an unknown kind of' : ADDRESS_KIND_TEXT[kind];
  return classifyAddress(hostname) !== null
    ? `${hostname} is ${text} address`
    : `${hostname} resolves to ${text} address`;
}

/** The URL's host as `net` connects to it: brackets of IPv6 literals removed. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks a webhook URL before it is stored: http(s), and its host (a literal, or every address
 * its name resolves to) reachable under the rules. Throws OutboundRefusedError naming the
 * problem. `new URL` has already turned odd IPv4 spellings (decimal, octal, hex) into dotted
 * form, so they are classified like any literal.
 */
export async function checkUrl(
  raw: string,
  rules: readonly AllowEntry[],
  resolve: Resolver = systemResolver,
): Promise<void> {
  const url = URL.parse(raw);
  if (!url || !['http:', 'https:'].includes(url.protocol))
    throw new OutboundRefusedError('the URL must be an http or https URL');
  const host = hostOf(url);
  if (classifyAddress(host) !== null) {
    const problem = addressProblem(host, host, rules);
    if (problem) throw new OutboundRefusedError(problem);
    return;
  }
  // A host name an admin allowed is trusted whatever it resolves to.
  if (rules.some((rule) => rule.type === 'host' && entryAllows(rule, host, null))) return;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host, {});
  } catch {
    throw new OutboundRefusedError(`${host} does not resolve`);
  }
  if (addresses.length === 0) throw new OutboundRefusedError(`${host} does not resolve`);
  for (const { address } of addresses) {
    const problem = addressProblem(host, address, rules);
    if (problem) throw new OutboundRefusedError(problem);
  }
}

/**
 * A `lookup` for http(s).request/net.connect that resolves the name itself and refuses the
 * connection unless every address it got may be reached: the check is on the very addresses
 * the socket connects to, so a name that answered a public address when the webhook was stored
 * and a private one now (DNS rebinding) gets nowhere. (Literal addresses skip `lookup`; the
 * caller checks them with addressProblem first.)
 */
export function guardedLookup(
  rules: readonly AllowEntry[],
  resolve: Resolver = systemResolver,
): LookupFunction {
  return (hostname, options, callback) => {
    const done = callback as (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void;
    resolve(hostname, { family: options.family as number | undefined, hints: options.hints })
      .then((addresses) => {
        if (addresses.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} does not resolve`);
          error.code = 'ENOTFOUND';
          throw error;
        }
        for (const { address } of addresses) {
          const problem = addressProblem(hostname, address, rules);
          if (problem) throw new OutboundRefusedError(problem);
        }
        if (options.all) done(null, addresses);
        else done(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => done(error, options.all ? [] : ''));
  };
}
