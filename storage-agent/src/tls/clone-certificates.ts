import { randomBytes, X509Certificate } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CloneCertificateAuthority } from '@branchpoint/contracts';
import { AgentFailure } from '../common/agent-failure.js';
import type { CommandRunner } from '../common/command-runner.js';
import type { KeyedMutex } from '../common/keyed-mutex.js';
import type { OsIdentity } from '../identity/os-identity.js';
import { NEW_EC_KEY, VALID_DAYS, subjectAltNames } from './openssl.js';

/** A clone server's certificate and key, readable by its identity's group only. */
export interface ServerCertificate {
  certFile: string;
  keyFile: string;
}

/**
 * The host's clone CA (made once, in `<runDir>/tls`) and the server certificates it signs, one
 * per container, so a client that trusts the CA knows it reached this host's clone and no other
 * tenant holds the key. Keys are made by `openssl` with argument arrays; the CA key never leaves
 * the agent's directory (0600, root).
 */
export class CloneCertificates {
  private readonly dir: string;

  constructor(
    runDir: string,
    private readonly hostNames: string[],
    private readonly run: CommandRunner,
    private readonly locks: KeyedMutex,
  ) {
    this.dir = path.join(runDir, 'tls');
  }

  private get caCert(): string {
    return path.join(this.dir, 'clone-ca.crt');
  }

  private get caKey(): string {
    return path.join(this.dir, 'clone-ca.key');
  }

  /** Makes the CA unless it exists. */
  async ensureCa(): Promise<void> {
    await this.locks.run('clone-ca', async () => {
      if (await exists(this.caCert)) return;
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await chmod(this.dir, 0o700);
      await this.openssl([
        'req',
        '-x509',
        ...NEW_EC_KEY,
        '-keyout',
        this.caKey,
        '-out',
        `${this.caCert}.new`,
        '-days',
        VALID_DAYS,
        '-subj',
        `/CN=Branchpoint clone CA ${randomBytes(4).toString('hex')}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ]);
      await chmod(this.caKey, 0o600);
      // The certificate appears last, so a half-made CA is made again.
      await this.openssl(['x509', '-in', `${this.caCert}.new`, '-out', this.caCert]);
      await rm(`${this.caCert}.new`, { force: true });
    });
  }

  /** The CA certificate clients verify clone servers with. */
  async authority(): Promise<CloneCertificateAuthority> {
    await this.ensureCa();
    const certificate = await readFile(this.caCert, 'utf8');
    return { certificate, fingerprint: new X509Certificate(certificate).fingerprint256 };
  }

  /**
   * The server certificate in `dir` (a directory only root and the identity's group can read),
   * issued when missing: the key 0640 root:<gid>, as PostgreSQL accepts a root-owned key.
   */
  async serverCertificate(dir: string, identity: OsIdentity): Promise<ServerCertificate> {
    // Servers of one container (of several engines) start at once and share the certificate.
    return this.locks.run(`server-certificate:${dir}`, () => this.issueOnce(dir, identity));
  }

  private async issueOnce(dir: string, identity: OsIdentity): Promise<ServerCertificate> {
    const certFile = path.join(dir, 'server.crt');
    const keyFile = path.join(dir, 'server.key');
    if (await exists(certFile)) return { certFile, keyFile };
    await this.ensureCa();
    const csr = path.join(dir, 'server.csr');
    await this.openssl([
      'req',
      '-new',
      ...NEW_EC_KEY,
      '-keyout',
      keyFile,
      '-out',
      csr,
      '-subj',
      `/CN=${this.hostNames[0] ?? 'localhost'}`,
      '-addext',
      `subjectAltName=${subjectAltNames(this.hostNames)}`,
    ]);
    await chown(keyFile, 0, identity.gid);
    await chmod(keyFile, 0o640);
    await this.openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      this.caCert,
      '-CAkey',
      this.caKey,
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      VALID_DAYS,
      '-copy_extensions',
      'copy',
      '-out',
      `${certFile}.new`,
    ]);
    await rm(csr, { force: true });
    await this.openssl(['x509', '-in', `${certFile}.new`, '-out', certFile]);
    await rm(`${certFile}.new`, { force: true });
    await chmod(certFile, 0o644);
    return { certFile, keyFile };
  }

  private async openssl(args: string[]): Promise<void> {
    const result = await this.run('openssl', args);
    if (result.exitCode !== 0)
      throw new AgentFailure(
        500,
        'internal',
        `openssl ${args[0]} failed: ${result.stderr.trim().split('\n').pop() ?? ''}`,
      );
  }
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}
