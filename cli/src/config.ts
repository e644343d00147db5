import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { usageError } from './errors.js';

export const DEFAULT_URL = 'http://localhost:3000';

/** What `branchpoint login` stores: the server and a personal API token (never a password). */
export interface StoredConfig {
  url: string;
  token: string;
  /** The token's id, so that `logout` can revoke it. */
  tokenId?: string;
  username?: string;
}

/** Where the control plane is and how to authenticate, after flags, environment and file are combined. */
export interface Settings {
  /** The server's base URL, e.g. `http://localhost:3000` (no `/api/v1`, no trailing slash). */
  url: string;
  token: string | undefined;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** `$XDG_CONFIG_HOME/branchpoint/config.json`, by default `~/.config/branchpoint/config.json`. */
export function configPath(env: Env): string {
  const base = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(base, 'branchpoint', 'config.json');
}

/** The stored configuration, or undefined when there is none. A damaged file is an error, not silently ignored. */
export async function readConfig(path: string): Promise<StoredConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<StoredConfig>;
    if (typeof parsed.url === 'string' && typeof parsed.token === 'string')
      return parsed as StoredConfig;
  } catch {
    // Reported below.
  }
  throw usageError(
    `${path} is not a valid branchpoint configuration: run branchpoint login again or delete it`,
  );
}

/** Writes the configuration readable by its owner only (the file holds a token). */
export async function writeConfig(path: string, config: StoredConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFile is masked by the umask; make sure.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export async function removeConfig(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Strips trailing slashes and a pasted `/api/v1`, and rejects what is not an http(s) URL. */
export function normalizeUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`invalid server URL "${text}": expected e.g. ${DEFAULT_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`invalid server URL "${text}": must be http or https`);
  return url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\/api\/v1$/, '');
}

/**
 * Flags win over the environment (BRANCHPOINT_URL, BRANCHPOINT_TOKEN), which wins over the
 * file written by `login`. The stored token is only sent to the server it was issued by.
 */
export function resolveSettings(
  flags: { url?: string; token?: string },
  env: Env,
  stored: StoredConfig | undefined,
): Settings {
  const url = normalizeUrl(flags.url || env['BRANCHPOINT_URL'] || stored?.url || DEFAULT_URL);
  const explicitToken = flags.token || env['BRANCHPOINT_TOKEN'];
  if (explicitToken) return { url, token: explicitToken };
  const storedToken = stored && normalizeUrl(stored.url) === url ? stored.token : undefined;
  return { url, token: storedToken };
}
