import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** Removes everything inside `dir` (an ingest or refresh starts from an empty dataset). */
export async function emptyDirectory(dir: string): Promise<void> {
  for (const entry of await readdir(dir))
    await rm(path.join(dir, entry), { recursive: true, force: true });
}
