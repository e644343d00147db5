import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CreateContainerRequest } from '@branchpoint/contracts';
import { hasHooks, type HookSet } from '../hooks/hook-set.js';

// In the container dataset itself, so the hooks live and die with the container (the agent
// keeps no state elsewhere); ZFS user properties are too small for scripts.
const FILE = 'after-start.json';

/** A container's afterStart hooks, and the source names they are shown (BP_SOURCE_NAME, log lines). */
export interface AfterStart extends HookSet {
  sourceNames: Record<string, string>;
}

export async function writeAfterStart(
  containerDir: string,
  request: CreateContainerRequest,
): Promise<void> {
  const file = path.join(containerDir, FILE);
  const hooks: AfterStart = {
    sql: request.afterStartSql ?? [],
    shell: request.afterStartShell,
    sourceNames: Object.fromEntries(
      request.sources.flatMap((source) => (source.name ? [[source.id, source.name]] : [])),
    ),
  };
  if (!hasHooks(hooks)) await rm(file, { force: true });
  else await writeFile(file, JSON.stringify(hooks), { mode: 0o600 });
}

export async function readAfterStart(containerDir: string): Promise<AfterStart> {
  const text = await readFile(path.join(containerDir, FILE), 'utf8').catch(() => null);
  if (text === null) return { sql: [], sourceNames: {} };
  const stored = JSON.parse(text) as AfterStart | string[];
  // Agents before shell hooks kept the SQL statements only.
  return Array.isArray(stored) ? { sql: stored, sourceNames: {} } : stored;
}
