import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app.js';
import { createAgent } from '../agent.js';
import type { CommandRunner } from '../common/command-runner.js';
import { processRunner } from '../common/command-runner.js';
import { loadConfig } from '../config.js';
import { loadAgentCertificate } from './agent-certificate.js';
import { subjectAltNames } from './openssl.js';

// Real openssl (an EC key takes milliseconds); every call it gets is recorded.
const calls: string[][] = [];
const recording: CommandRunner = (file, args) => {
  calls.push([file, ...args]);
  return processRunner(file, args);
};

let runDir: string;
beforeEach(async () => {
  calls.length = 0;
  runDir = await mkdtemp(path.join(tmpdir(), 'bp-agent-tls-'));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

const tlsOf = (env: Record<string, string> = {}) =>
  loadConfig({ BP_ZFS_ROOT: 'tank/bp', BP_AGENT_DEV: '1', BP_AGENT_RUN_DIR: runDir, ...env }).tls;

describe('loadAgentCertificate', () => {
  it('makes a self-signed certificate on first start, private to the agent, and reuses it', async () => {
    const first = await loadAgentCertificate(tlsOf(), 'agent-1.example', recording);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe('openssl');
    const x509 = new X509Certificate(first.cert);
    expect(x509.subjectAltName).toBe('DNS:agent-1.example, DNS:localhost, IP Address:127.0.0.1');
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(first.fingerprint).toBe(x509.fingerprint256);
    expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((await stat(path.join(runDir, 'tls'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(runDir, 'tls/agent.key'))).mode & 0o777).toBe(0o600);

    const again = await loadAgentCertificate(tlsOf(), 'agent-1.example', recording);
    expect(calls).toHaveLength(1);
    expect(again.fingerprint).toBe(first.fingerprint);
  });

  it('serves the given files and never makes its own', async () => {
    const made = await loadAgentCertificate(tlsOf(), '127.0.0.1');
    const given = tlsOf({
      BP_AGENT_TLS_CERT: path.join(runDir, 'tls/agent.crt'),
      BP_AGENT_TLS_KEY: path.join(runDir, 'tls/agent.key'),
    });
    expect((await loadAgentCertificate(given, '127.0.0.1', recording)).fingerprint).toBe(
      made.fingerprint,
    );
    expect(calls).toEqual([]);
    await expect(
      loadAgentCertificate({ ...given, certFile: path.join(runDir, 'missing.crt') }, '127.0.0.1'),
    ).rejects.toThrow(/missing\.crt/);
  });

  it('names the listen address once, as IP or DNS', () => {
    expect(subjectAltNames(['127.0.0.1'])).toBe('IP:127.0.0.1,DNS:localhost');
    expect(subjectAltNames(['0.0.0.0'])).toBe('IP:0.0.0.0,DNS:localhost,IP:127.0.0.1');
  });
});

describe('the API over HTTPS', () => {
  it('presents the certificate whose fingerprint the agent reports', async () => {
    const { cert, key, fingerprint } = await loadAgentCertificate(tlsOf(), '127.0.0.1');
    const config = loadConfig({ BP_ZFS_ROOT: 'tank/bp', BP_AGENT_DEV: '1' });
    const app = buildApp(createAgent(config, recording), config.token, { https: { cert, key } });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect(address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const presented = await new Promise<string>((resolve, reject) => {
        const socket = connect(
          { host: '127.0.0.1', port: Number(new URL(address).port), ca: cert },
          () => {
            resolve(socket.getPeerCertificate().fingerprint256);
            socket.end();
          },
        );
        socket.once('error', reject);
      });
      expect(presented).toBe(fingerprint);
    } finally {
      await app.close();
    }
  });
});
