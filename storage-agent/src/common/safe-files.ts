import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { AgentFailure } from './agent-failure.js';

// The agent runs as root and some directories it writes into belong to a tenant, who may have
// planted a link there: a file is opened without following a final link (O_NOFOLLOW), must be a
// regular file with one name, and is chowned through the open descriptor.
// Truncation waits for the checks, so a refused file is left as it was.
const WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Writes a file without following links; `owner` is applied with fchown. */
export async function writeFileSafely(
  file: string,
  content: string,
  options: { mode: number; owner?: { uid: number; gid: number } },
): Promise<void> {
  const handle = await open(file, WRITE, options.mode).catch((error: unknown) => {
    throw refused(file, error);
  });
  try {
    await assertPlainFile(file, handle);
    if (options.owner) await handle.chown(options.owner.uid, options.owner.gid);
    await handle.chmod(options.mode);
    await handle.truncate(0);
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** Reads a file without following links; null when it does not exist. */
export async function readFileSafely(file: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, READ);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw refused(file, error);
  }
  try {
    await assertPlainFile(file, handle);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function assertPlainFile(
  file: string,
  handle: Awaited<ReturnType<typeof open>>,
): Promise<void> {
  const stat = await handle.stat();
  if (!stat.isFile() || stat.nlink !== 1)
    throw new AgentFailure(
      500,
      'instance-failed',
      `refusing ${file}: not a regular file with a single name`,
    );
}

function refused(file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  // ELOOP: the final component is a link.
  if (code === 'ELOOP')
    return new AgentFailure(500, 'instance-failed', `refusing ${file}: it is a symbolic link`);
  return error as Error;
}
