import { chmod, chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileSafely } from '../../common/safe-files.js';
import type { OsIdentity } from '../../identity/os-identity.js';
import type { CloneCertificates, ServerCertificate } from '../../tls/clone-certificates.js';

/** The pg_ident map that lets root (the agent) in as the cluster's superusers, and no one else. */
export const AGENT_MAP = 'agent';

/** A superuser role that exists only while a shell hook runs, with a password made for that run. */
export const HOOK_ROLE = 'branchpoint_hook';

/** Who may reach a server, and as whom. */
export interface ServerAccess {
  identity: OsIdentity;
  /** Roles root may log in as through the socket (peer authentication through AGENT_MAP). */
  superusers: string[];
  /** Roles clients may log in as over TCP, TLS and scram-sha-256 only; empty: no TCP at all. */
  loginRoles: string[];
}

/** The files a server is started with, outside its data directory (its owner cannot change them). */
export interface ServerFiles {
  configFile: string;
  hbaFile: string;
  identFile: string;
  tls: ServerCertificate | null;
}

/**
 * Settings that suit dozens of clones on one host. They live in a configuration file, so an
 * owner's ALTER SYSTEM (postgresql.auto.conf, in the branch's data) overrides them per branch.
 */
export const CLONE_TUNING: Record<string, string> = {
  max_connections: '20',
  superuser_reserved_connections: '3',
  shared_buffers: '32MB',
  work_mem: '4MB',
  maintenance_work_mem: '32MB',
  effective_cache_size: '256MB',
  max_worker_processes: '4',
  max_parallel_workers: '2',
  max_parallel_workers_per_gather: '1',
  autovacuum_max_workers: '1',
  max_wal_size: '256MB',
  // Copy-on-write pools: a new WAL segment is not zero-filled nor an old one renamed for reuse
  // (both write 16 MB that a clone then owns); the smallest min_wal_size keeps few segments.
  min_wal_size: '32MB',
  wal_init_zero: 'off',
  wal_recycle: 'off',
  // ZFS never tears a page (copy-on-write, checksummed), so full-page images after each
  // checkpoint are only WAL volume and time.
  full_page_writes: 'off',
  // A clone of a running server's point starts with crash recovery, which first fsyncs every
  // file of the data directory one by one (a thousand at pgbench scale 5, 0.4 s or more on a
  // busy pool). Its data came from a snapshot, already on disk: one syncfs of the filesystem.
  recovery_init_sync_method: 'syncfs',
  password_encryption: 'scram-sha-256',
  logging_collector: 'off',
  log_destination: 'stderr',
};

/**
 * Settings no owner may change: where the server listens and whom it admits, its files, and
 * everything that would run a program or ship data elsewhere. The command line overrides every
 * configuration file, ALTER SYSTEM included.
 */
export function fixedSettings(options: {
  port: number;
  socketDir: string;
  listen: string;
  files: ServerFiles;
}): Record<string, string> {
  const { files } = options;
  return {
    config_file: files.configFile,
    hba_file: files.hbaFile,
    ident_file: files.identFile,
    port: String(options.port),
    listen_addresses: files.tls ? options.listen : '',
    unix_socket_directories: options.socketDir,
    unix_socket_permissions: '0700',
    ssl: files.tls ? 'on' : 'off',
    ...(files.tls ? { ssl_cert_file: files.tls.certFile, ssl_key_file: files.tls.keyFile } : {}),
    archive_mode: 'off',
    archive_command: '',
    restore_command: '',
    primary_conninfo: '',
    max_wal_senders: '0',
    // No slot can exist at wal_level minimal, and with none allowed a checkpoint skips writing
    // and fsyncing the replication-origin file: five of an idle checkpoint's eleven fsyncs.
    max_replication_slots: '0',
    wal_level: 'minimal',
  };
}

/** pg_hba.conf: the agent through the socket as root, clients over TLS with a password, nothing else. */
export function hbaText(access: ServerAccess): string {
  const lines = [
    '# written by the branchpoint storage agent on every start; no trust anywhere',
    // The first line that matches decides: the hook role's line comes before the agent's.
    `local all ${HOOK_ROLE} scram-sha-256`,
    `local all all peer map=${AGENT_MAP}`,
  ];
  if (access.loginRoles.length > 0)
    lines.push(`hostssl all ${access.loginRoles.join(',')} all scram-sha-256`);
  return `${lines.join('\n')}\n`;
}

/** pg_ident.conf: the OS user root maps to the superusers, and nobody else maps to anything. */
export function identText(access: ServerAccess): string {
  const lines = ['# written by the branchpoint storage agent on every start'];
  for (const role of new Set(access.superusers)) lines.push(`${AGENT_MAP} root ${role}`);
  return `${lines.join('\n')}\n`;
}

export const configText = (settings: Record<string, string>): string =>
  ['# written by the branchpoint storage agent; ALTER SYSTEM overrides these per branch']
    .concat(Object.entries(settings).map(([key, value]) => `${key} = '${value}'`))
    .join('\n') + '\n';

/**
 * Per-server configuration directories `<runDir>/servers/<name>`, owned by root and readable by
 * the server's group only, written on every start so they always match what the agent wants.
 */
export class ServerConfigs {
  constructor(
    private readonly runDir: string,
    private readonly certificates: CloneCertificates | null,
  ) {}

  dir(name: string): string {
    return path.join(this.runDir, 'servers', name);
  }

  /** Writes the directory's files; with TLS wanted (login roles), issues the certificate once. */
  async write(name: string, access: ServerAccess): Promise<ServerFiles> {
    const dir = this.dir(name);
    await mkdir(path.dirname(dir), { recursive: true, mode: 0o711 });
    await mkdir(dir, { recursive: true, mode: 0o750 });
    await chown(dir, 0, access.identity.gid);
    await chmod(dir, 0o750);
    const files = {
      configFile: path.join(dir, 'postgresql.conf'),
      hbaFile: path.join(dir, 'pg_hba.conf'),
      identFile: path.join(dir, 'pg_ident.conf'),
    };
    const owner = { uid: 0, gid: access.identity.gid };
    await writeFileSafely(files.configFile, configText(CLONE_TUNING), { mode: 0o640, owner });
    await this.writeAccess(name, access);
    const tls =
      access.loginRoles.length > 0 && this.certificates
        ? await this.certificates.serverCertificate(dir, access.identity)
        : null;
    return { ...files, tls };
  }

  /** Rewrites who may log in (a reload makes a running server read it). */
  async writeAccess(name: string, access: ServerAccess): Promise<void> {
    const dir = this.dir(name);
    const owner = { uid: 0, gid: access.identity.gid };
    await writeFileSafely(path.join(dir, 'pg_hba.conf'), hbaText(access), { mode: 0o640, owner });
    await writeFileSafely(path.join(dir, 'pg_ident.conf'), identText(access), {
      mode: 0o640,
      owner,
    });
  }
}
