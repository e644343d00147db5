import { chmod, lchown, lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { OsIdentity } from './os-identity.js';

/**
 * Makes a data directory (a fresh clone of a template version or of another container's point)
 * its identity's, 0700, without following links. The top directory is changed last, so its
 * owner tells whether an interrupted walk finished: a repeat after a crash walks again.
 */
export async function ensureOwnedBy(dir: string, identity: OsIdentity): Promise<void> {
  const top = await lstat(dir);
  if (top.uid === identity.uid && top.gid === identity.gid && (top.mode & 0o777) === 0o700) return;
  if (top.uid !== identity.uid || top.gid !== identity.gid) await chownChildren(dir, identity);
  await lchown(dir, identity.uid, identity.gid);
  await chmod(dir, 0o700);
}

async function chownChildren(dir: string, identity: OsIdentity): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const target = path.join(dir, entry.name);
    // A link is not a directory here, so nothing outside the data directory is ever reached.
    if (entry.isDirectory()) await chownChildren(target, identity);
    await lchown(target, identity.uid, identity.gid);
  }
}
