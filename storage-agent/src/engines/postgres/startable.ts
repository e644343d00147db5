import { rm } from 'node:fs/promises';
import path from 'node:path';
import { readFileSafely, writeFileSafely } from '../../common/safe-files.js';
import type { OsIdentity } from '../../identity/os-identity.js';

const STANDBY_SETTINGS =
  /^\s*(primary_conninfo|primary_slot_name|restore_command|recovery_target\w*|standby_mode)\s*=/;

/**
 * Turns a base backup into a data directory a clone can start as a primary: no standby or
 * recovery signal and no replication settings in postgresql.auto.conf. The server's other
 * configuration files live outside the data directory (see server-config.ts).
 */
export async function makeStartable(dataDir: string, owner: OsIdentity): Promise<void> {
  await rm(path.join(dataDir, 'standby.signal'), { force: true });
  await rm(path.join(dataDir, 'recovery.signal'), { force: true });
  await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
  const autoConf = path.join(dataDir, 'postgresql.auto.conf');
  const auto = (await readFileSafely(autoConf)) ?? '';
  await writeFileSafely(
    autoConf,
    auto
      .split('\n')
      .filter((line) => !STANDBY_SETTINGS.test(line))
      .join('\n'),
    { mode: 0o600, owner },
  );
}
