import { X509Certificate, createPrivateKey } from 'node:crypto';
import { access, chmod, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { processRunner, type CommandRunner } from '../common/command-runner.js';
import { NEW_EC_KEY, VALID_DAYS, subjectAltNames } from './openssl.js';
import type { AgentTlsConfig } from '../config.js';

/** What the agent serves HTTPS with; `fingerprint` is what the control plane pins. */
export interface AgentCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the certificate as Node's `fingerprint256` writes it: `AB:CD:…` (32 pairs). */
  fingerprint: string;
}

// Long enough that nobody has to rotate a pinned self-signed certificate by surprise.

/**
 * The agent's certificate and key: the configured files, or a self-signed pair made in the run
 * directory on first start and reused afterwards, so the pin the control plane holds stays valid.
 */
export async function loadAgentCertificate(
  tls: AgentTlsConfig,
  host: string,
  run: CommandRunner = processRunner,
): Promise<AgentCertificate> {
  if (tls.generate && !(await bothExist(tls.certFile, tls.keyFile)))
    await generateSelfSigned(tls, host, run);
  const [cert, key] = await Promise.all([
    readFile(tls.certFile, 'utf8'),
    readFile(tls.keyFile, 'utf8'),
  ]);
  const x509 = new X509Certificate(cert);
  if (!x509.checkPrivateKey(createPrivateKey(key)))
    throw new Error(`TLS key ${tls.keyFile} does not belong to certificate ${tls.certFile}`);
  return { cert, key, fingerprint: x509.fingerprint256 };
}

/** An EC P-256 self-signed certificate naming the listen address, localhost and 127.0.0.1. */
async function generateSelfSigned(
  tls: AgentTlsConfig,
  host: string,
  run: CommandRunner,
): Promise<void> {
  const dir = path.dirname(tls.certFile);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  // Written under temporary names and renamed, so a crash never leaves half a pair behind.
  const certTmp = `${tls.certFile}.tmp`;
  const keyTmp = `${tls.keyFile}.tmp`;
  const result = await run('openssl', [
    'req',
    '-x509',
    ...NEW_EC_KEY,
    '-days',
    VALID_DAYS,
    '-subj',
    '/CN=branchpoint-agent',
    '-addext',
    `subjectAltName=${subjectAltNames([host])}`,
    '-keyout',
    keyTmp,
    '-out',
    certTmp,
  ]);
  if (result.exitCode !== 0) {
    await Promise.all([rm(certTmp, { force: true }), rm(keyTmp, { force: true })]);
    throw new Error(`openssl could not make the agent certificate: ${result.stderr.trim()}`);
  }
  await chmod(keyTmp, 0o600);
  await rename(keyTmp, tls.keyFile);
  await rename(certTmp, tls.certFile);
}

async function bothExist(...files: string[]): Promise<boolean> {
  const found = await Promise.all(
    files.map((file) =>
      access(file).then(
        () => true,
        () => false,
      ),
    ),
  );
  return found.every(Boolean);
}
