import type { ApiCall } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { Expiry } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { expiresIn } from '../duration.js';
import { formatTime } from '../output.js';

/** What can expire, and where its PATCH goes. */
export interface ExpiringKind {
  name: 'container' | 'branch' | 'bookmark';
  /** The PATCH of the container, branch or bookmark. */
  update: (id: string, body: Record<string, unknown>) => ApiCall<Expiry>;
}

/** `<group> extend <id> <duration>`, `protect <id>` and `unprotect <id>`: one PATCH each. */
export function registerExpiryCommands(group: Command, io: Io, kind: ExpiringKind): void {
  const change = async (
    command: Command,
    id: string,
    body: Record<string, unknown>,
    said: (changed: Expiry) => string,
  ) => {
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const changed = await api.send(kind.update(id, body));
    ctx.output.message(`${kind.name} ${id} ${said(changed)}`);
    ctx.output.result(changed, () => '');
  };

  group
    .command('extend <id> <duration>')
    .description(
      `make the ${kind.name} expire this long from now, e.g. 7d (within the admins' maximum)`,
    )
    .action(async (id: string, duration: string, _options: unknown, command: Command) => {
      const body = { expiresIn: expiresIn(duration) };
      await change(command, id, body, (c) => `now expires ${formatTime(c.expiresAt)}`);
    });

  group
    .command('protect <id>')
    .description(
      `never expire the ${kind.name} (clears its expiry; only admins while a maximum is set)`,
    )
    .action(async (id: string, _options: unknown, command: Command) => {
      await change(command, id, { protected: true }, () => 'is protected: it never expires');
    });

  group
    .command('unprotect <id>')
    .description(`let the ${kind.name} expire again (it gets the default expiry, if any)`)
    .action(async (id: string, _options: unknown, command: Command) => {
      await change(command, id, { protected: false }, (c) => `expires ${expiryLabel(c)}`);
    });
}

/** `protected`, `-` (never), or the time, with why the sweep keeps it once it is due. */
export function expiryLabel(item: Expiry): string {
  if (item.protected) return 'protected';
  const time = formatTime(item.expiresAt);
  return item.expiryBlockedReason ? `${time} (kept: ${item.expiryBlockedReason})` : time;
}
