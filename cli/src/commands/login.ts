import { api as rest } from '@branchpoint/api-client';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { ApiError, type ApiClient } from '../api/client.js';
import { readConfig, removeConfig, writeConfig } from '../config.js';
import { contextOf, type Io } from '../context.js';
import { usageError } from '../errors.js';
import { promptHidden, readStdin } from '../prompt.js';

interface LoginOptions {
  username: string;
  passwordStdin?: boolean;
  tokenName?: string;
  tokenDays?: number;
  printToken?: boolean;
}

/** `login`: signs in once, creates a personal API token and stores it (never the password). */
export function registerLoginCommand(program: Command, io: Io): void {
  program
    .command('login')
    .description('sign in, create a personal API token and store it in the config file (mode 0600)')
    .requiredOption('--username <name>', 'your Branchpoint user name')
    .option('--password-stdin', 'read the password from stdin instead of prompting')
    .option(
      '--token-name <name>',
      'name of the API token to create (default: branchpoint-cli@<host>)',
    )
    .option(
      '--token-days <days>',
      'days until the API token expires (1-365, default 90)',
      parseTokenDays,
    )
    .option(
      '--print-token',
      'print the new API token on stdout instead of storing it (e.g. to keep it as a CI secret)',
    )
    .action(async (options: LoginOptions, command: Command) => {
      const ctx = contextOf(io, command);
      const password = await readPassword(io, options.passwordStdin === true);
      if (!password) throw usageError('the password is empty');
      const api = await ctx.api();
      const session = await api.send(rest.auth.login({ username: options.username, password }));
      const name = options.tokenName ?? `branchpoint-cli@${hostname()}`.slice(0, 128);
      const created = await api.withToken(session.accessToken).send(
        rest.auth.createToken({
          name,
          ...(options.tokenDays ? { expiresInDays: options.tokenDays } : {}),
        }),
      );
      // The session was only the way to the token: it ends now.
      await api.withToken(session.accessToken).send(rest.auth.logout());
      const answer = {
        url: api.url,
        username: options.username,
        tokenId: created.id,
        tokenName: created.name,
        tokenExpiresAt: created.expiresAt,
      };
      if (options.printToken) {
        ctx.output.message(
          `Created API token "${created.name}" for ${options.username} on ${api.url}, valid until ${created.expiresAt}; it is shown only now`,
        );
        ctx.output.result({ ...answer, token: created.token }, () => created.token);
        return;
      }
      await writeConfig(ctx.configPath, {
        url: api.url,
        token: created.token,
        tokenId: created.id,
        username: options.username,
      });
      ctx.output.message(
        `Logged in to ${api.url} as ${options.username}; API token "${created.name}" (valid until ${created.expiresAt}) stored in ${ctx.configPath}`,
      );
      ctx.output.result({ ...answer, configPath: ctx.configPath }, () => '');
    });
}

/** `logout`: revokes the stored API token and removes the config file. */
export function registerLogoutCommand(program: Command, io: Io): void {
  program
    .command('logout')
    .description('revoke the API token stored by login and remove the config file')
    .action(async (_options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const stored = await readConfig(ctx.configPath);
      if (!stored) {
        ctx.output.message(`not logged in (there is no ${ctx.configPath})`);
        ctx.output.result({ loggedOut: false }, () => '');
        return;
      }
      if (stored.tokenId) await revoke(ctx.client(stored.url, stored.token), stored.tokenId);
      await removeConfig(ctx.configPath);
      ctx.output.message(
        `Logged out of ${stored.url}: API token revoked, ${ctx.configPath} removed`,
      );
      ctx.output.result({ loggedOut: true, url: stored.url }, () => '');
    });
}

/** Revokes a token; one the server no longer accepts or knows is as good as revoked. */
async function revoke(api: ApiClient, tokenId: string): Promise<void> {
  try {
    await api.send(rest.auth.revokeToken(tokenId));
  } catch (error) {
    if (!(error instanceof ApiError && (error.status === 401 || error.status === 404))) throw error;
  }
}

async function readPassword(io: Io, fromStdin: boolean): Promise<string> {
  if (fromStdin) return readStdin(io.stdin);
  if (!io.stdin.isTTY)
    throw usageError('no terminal to ask for the password on: pass it with --password-stdin');
  return promptHidden(io, 'Password: ');
}

function parseTokenDays(raw: string): number {
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw usageError(`--token-days must be a whole number from 1 to 365, got "${raw}"`);
  return days;
}
