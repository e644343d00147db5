import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, stopWorld, type World } from './support.js';

interface HostView {
  id: string;
  name: string;
  url: string;
  status: string;
  certificateFingerprint: string | null;
  lastError: string | null;
}

let world: World;

beforeAll(async () => {
  world = await startWorld('backend-pin');
});

afterAll(() => stopWorld(world));

/** Another self-signed certificate for the same address, as a replaced agent would present. */
function anotherCertificate(): { cert: string; key: string; fingerprint: string } {
  const cert = join(world.stack.logDir, 'other.crt');
  const key = join(world.stack.logDir, 'other.key');
  // prettier-ignore
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-days', '1', '-subj', '/CN=impostor', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert,
  ], { stdio: 'pipe' });
  return { cert, key, fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256 };
}

describe("the agent's certificate", () => {
  it('is pinned on first use when a host is registered without a fingerprint', async () => {
    const hosts = await world.stack.api.expect<HostView[]>(200, 'GET', '/hosts');
    const host = hosts.find((h) => h.id === world.stack.hostId);
    expect(host).toMatchObject({
      status: 'up',
      url: world.stack.agentUrl,
      certificateFingerprint: world.stack.agentFingerprint,
    });
    expect(world.stack.agentUrl).toMatch(/^https:/);
  });

  it('must match a fingerprint given at registration, and the URL must be https', async () => {
    const register = (body: Record<string, string>) =>
      world.stack.api.request<HostView & { message: string }>('POST', '/hosts', {
        url: world.stack.agentUrl,
        token: world.stack.agentToken,
        ...body,
      });
    const wrong = anotherCertificate().fingerprint;
    const refused = await register({ name: 'pin-wrong', fingerprint: wrong });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain(
      `expected ${wrong}, got ${world.stack.agentFingerprint}`,
    );
    const plain = await register({
      name: 'pin-plain',
      url: world.stack.agentUrl.replace('https:', 'http:'),
    });
    expect(plain.status).toBe(400);
    expect(plain.body.message).toMatch(/url must be an https URL/);

    // Lower case is the same fingerprint: the pin passes, and then the agent is found to be the
    // stack's host already (one agent is one host).
    const given = await register({
      name: 'pin-given',
      fingerprint: world.stack.agentFingerprint.toLowerCase(),
    });
    expect(given.status).toBe(409);
    expect(given.body.message).toContain('is registered already as host');
    const hosts = await world.stack.api.expect<HostView[]>(200, 'GET', '/hosts');
    expect(hosts.map((h) => h.name)).not.toContain('pin-wrong');
    expect(hosts.map((h) => h.name)).not.toContain('pin-given');
  });

  it('refuses an agent that presents another certificate, until an admin re-pins it', async () => {
    const pinned = world.stack.agentFingerprint;
    const other = anotherCertificate();
    const path = `/hosts/${world.stack.hostId}`;
    await world.stack.restartAgent({ BP_AGENT_TLS_CERT: other.cert, BP_AGENT_TLS_KEY: other.key });
    try {
      // Editing the token keeps the pin; the check that follows finds the agent changed.
      const down = await world.stack.api.expect<HostView>(200, 'PATCH', path, {
        token: world.stack.agentToken,
      });
      const changed = `agent certificate changed: expected ${pinned}, got ${other.fingerprint}`;
      expect(down).toMatchObject({ status: 'down', certificateFingerprint: pinned });
      expect(down.lastError).toContain(changed);
      const refresh = await world.stack.api.expect<{ jobId: string }>(
        202,
        'POST',
        `/templates/${world.templateId}/refresh`,
      );
      const job = await world.stack.api.waitForJob(refresh.jobId);
      expect(job.state).toBe('failed');
      expect(job.error).toContain(changed);

      const wrongRepin = await world.stack.api.request<{ message: string }>('PATCH', path, {
        fingerprint: pinned,
      });
      expect(wrongRepin.status).toBe(400);
      const repinned = await world.stack.api.expect<HostView>(200, 'PATCH', path, {
        fingerprint: other.fingerprint,
      });
      expect(repinned).toMatchObject({ status: 'up', certificateFingerprint: other.fingerprint });
    } finally {
      // The agent's own certificate, made at its first start, is served again after a restart.
      await world.stack.restartAgent();
    }
    expect(world.stack.agentFingerprint).toBe(pinned);
    const back = await world.stack.api.expect<HostView>(200, 'PATCH', path, {
      fingerprint: pinned,
    });
    expect(back).toMatchObject({ status: 'up', certificateFingerprint: pinned });
  });
});
