import { isIP } from 'node:net';
import { TLSSocket, connect } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { AgentUnavailableException } from '../common/app.exception.js';
import type { AgentFetch } from './agent.client.js';
import { AgentCertificateChangedException } from './agent.exception.js';

const PROBE_TIMEOUT_MS = 10_000;
/**
 * A host that is down or cut off drops packets rather than refusing: connecting gives up after
 * this long, so a call to it fails in seconds (the call's own limit covers a slow answer).
 */
export const CONNECT_TIMEOUT_MS = 3_000;

/**
 * A fetch that talks only to an agent presenting the pinned certificate (its SHA-256 as Node's
 * `fingerprint256` writes it, `AB:CD:…`, as the agent logs it). Agents use self-signed
 * certificates, so no CA can vouch for them; the pin replaces chain and name checks. Sessions
 * are not cached, so every connection shows its certificate and is checked.
 */
export function pinnedFetch(pin: string | null): { fetch: AgentFetch; close(): Promise<void> } {
  const tlsConnect = buildConnector({
    rejectUnauthorized: false,
    maxCachedSessions: 0,
    timeout: CONNECT_TIMEOUT_MS,
  });
  const dispatcher = new Agent({
    connect(options, callback) {
      tlsConnect(options, (error, socket) => {
        if (error) return callback(error, null);
        const presented = fingerprintOf(socket);
        if (pin !== null && presented === pin) return callback(null, socket);
        socket.destroy();
        callback(new AgentCertificateChangedException(pin, presented), null);
      });
    },
  });
  return {
    fetch: (url, init) => undiciFetch(url, { ...init, dispatcher }),
    close: () => dispatcher.close(),
  };
}

/** The fingerprint of the certificate the agent at `url` presents, read without trusting it. */
export function presentedFingerprint(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port: Number(port || 443),
      rejectUnauthorized: false,
      ...(isIP(host) ? {} : { servername: host }),
      timeout: PROBE_TIMEOUT_MS,
    });
    const fail = (reason: string) => {
      socket.destroy();
      reject(
        new AgentUnavailableException(
          `storage agent at ${url} unreachable, its certificate could not be read: ${reason}`,
        ),
      );
    };
    socket.once('secureConnect', () => {
      const fingerprint = fingerprintOf(socket);
      socket.end();
      if (fingerprint) resolve(fingerprint);
      else fail('it presented none');
    });
    socket.once('timeout', () => fail(`no answer within ${PROBE_TIMEOUT_MS} ms`));
    socket.once('error', (error) => fail(error.message));
  });
}

function fingerprintOf(socket: unknown): string | null {
  return socket instanceof TLSSocket ? (socket.getPeerCertificate().fingerprint256 ?? null) : null;
}
