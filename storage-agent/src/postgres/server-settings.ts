/**
 * Server settings for clones, tuned so dozens of them fit one host. They are passed on the
 * command line, which overrides whatever the source's configuration files say.
 */
export function cloneSettings(options: {
  port: number;
  socketDir: string;
  dataDir: string;
  listen: string;
}): Record<string, string> {
  return {
    port: String(options.port),
    listen_addresses: options.listen,
    unix_socket_directories: options.socketDir,
    unix_socket_permissions: '0700',
    hba_file: `${options.dataDir}/pg_hba.conf`,
    ident_file: `${options.dataDir}/pg_ident.conf`,
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
    min_wal_size: '32MB',
    archive_mode: 'off',
    max_wal_senders: '0',
    wal_level: 'minimal',
    primary_conninfo: '',
    restore_command: '',
    ssl: 'off',
    logging_collector: 'off',
    log_destination: 'stderr',
    password_encryption: 'scram-sha-256',
  };
}

/** Local connections only through the 0700 socket directory (postgres and root); TCP with the container password. */
export const CLONE_HBA = [
  '# written by the branchpoint storage agent on every start',
  'local all all trust',
  'host all all 0.0.0.0/0 scram-sha-256',
  'host all all ::/0 scram-sha-256',
  '',
].join('\n');
