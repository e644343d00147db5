import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const STANDBY_SETTINGS =
  /^\s*(primary_conninfo|primary_slot_name|restore_command|recovery_target\w*|standby_mode)\s*=/;

/**
 * Turns a base backup into a data directory a clone can start as a primary: no standby or
 * recovery signal, no replication settings in postgresql.auto.conf, and a postgresql.conf
 * even when the source kept its configuration outside the data directory (Debian clusters).
 */
export async function makeStartable(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, 'standby.signal'), { force: true });
  await rm(path.join(dataDir, 'recovery.signal'), { force: true });
  await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
  const autoConf = path.join(dataDir, 'postgresql.auto.conf');
  const auto = await readFile(autoConf, 'utf8').catch(() => '');
  await writeFile(
    autoConf,
    auto
      .split('\n')
      .filter((line) => !STANDBY_SETTINGS.test(line))
      .join('\n'),
  );
  const conf = path.join(dataDir, 'postgresql.conf');
  await writeFile(
    conf,
    '# settings of clones are passed on the command line by the storage agent\n',
    { flag: 'a' },
  );
  await writeFile(path.join(dataDir, 'pg_ident.conf'), '', { flag: 'a' });
}
