import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentUnavailableException } from '../common/app.exception.js';
import { AgentClient } from './agent.client.js';
import { pinnedFetch, presentedFingerprint } from './agent-certificate.js';
import { AgentCertificateChangedException } from './agent.exception.js';

/** A self-signed EC certificate for 127.0.0.1, as the agent makes its own. */
function selfSigned(dir: string, name: string): { cert: string; key: string; fingerprint: string } {
  const [cert, key] = [join(dir, `${name}.crt`), join(dir, `${name}.key`)];
  // prettier-ignore
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '1', '-subj', '/CN=test-agent', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert,
  ], { stdio: 'pipe' });
  const pem = readFileSync(cert, 'utf8');
  return {
    cert: pem,
    key: readFileSync(key, 'utf8'),
    fingerprint: new X509Certificate(pem).fingerprint256,
  };
}

describe('agent certificate pinning', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let served: { fingerprint: string };
  let other: { fingerprint: string };
  let requests = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bp-pin-'));
    const pair = selfSigned(dir, 'served');
    served = pair;
    other = selfSigned(dir, 'other');
    server = createServer({ cert: pair.cert, key: pair.key }, (_request, response) => {
      requests++;
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the certificate an agent presents, without trusting it', async () => {
    expect(await presentedFingerprint(url)).toBe(served.fingerprint);
    await expect(presentedFingerprint('https://127.0.0.1:1')).rejects.toBeInstanceOf(
      AgentUnavailableException,
    );
  });

  it('calls an agent that presents the pinned certificate', async () => {
    const pinned = pinnedFetch(served.fingerprint);
    try {
      expect(await new AgentClient({ url, token: 't' }, 1000, pinned.fetch).health()).toEqual({
        ok: true,
      });
    } finally {
      await pinned.close();
    }
  });

  it('refuses any other certificate before sending anything', async () => {
    const before = requests;
    for (const [pin, message] of [
      [
        other.fingerprint,
        `agent certificate changed: expected ${other.fingerprint}, got ${served.fingerprint}`,
      ],
      [null, `agent certificate not pinned: got ${served.fingerprint}`],
    ] as const) {
      const pinned = pinnedFetch(pin);
      try {
        const error = await new AgentClient({ url, token: 't' }, 1000, pinned.fetch)
          .capacity()
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AgentCertificateChangedException);
        expect(error).toBeInstanceOf(AgentUnavailableException);
        expect((error as Error).message).toContain(message);
      } finally {
        await pinned.close();
      }
    }
    expect(requests).toBe(before);
  });
});
