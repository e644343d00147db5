import { api as rest } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { ServerSettings } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { usageError } from '../errors.js';
import { completeOperation, withWaitOptions, type WaitOptions } from '../operation.js';
import { formatTable } from '../output.js';

interface SetOptions extends WaitOptions {
  reset: string[];
}

/**
 * `containers settings <id>` and `containers set <id> name=value… [--reset name]…`: server
 * parameters of the active branch. A change records a `settings` point; `undo` takes it back.
 */
export function registerSettingsCommands(containers: Command, io: Io): void {
  containers
    .command('settings <containerId>')
    .description('show the server settings changed on the active branch')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const current = await api.send(rest.containers.getSettings(id));
      ctx.output.result(current, () => renderSettings(current));
    });

  withWaitOptions(
    containers
      .command('set <containerId> [assignments...]')
      .description(
        'change server settings of the active branch (name=value); a point is recorded first, so undo brings the old ones back',
      )
      .option(
        '--reset <name>',
        'reset a parameter to the clone default (repeatable)',
        (name: string, names: string[]) => [...names, name],
        [] as string[],
      ),
  ).action(async (id: string, assignments: string[], options: SetOptions, command: Command) => {
    const settings = settingChanges(assignments, options.reset);
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const accepted = await api.send(rest.containers.updateSettings(id, { settings }));
    await completeOperation(
      api,
      ctx.output,
      accepted,
      `change settings of container ${id}`,
      options,
    );
  });
}

/** `work_mem=64MB` and `--reset jit` into the API's `{work_mem: '64MB', jit: null}`. */
export function settingChanges(
  assignments: readonly string[],
  resets: readonly string[],
): Record<string, string | null> {
  const settings: Record<string, string | null> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    if (equals <= 0)
      throw usageError(`"${assignment}" is not name=value (use --reset <name> to reset one)`);
    settings[assignment.slice(0, equals).trim()] = assignment.slice(equals + 1);
  }
  for (const name of resets) settings[name] = null;
  if (Object.keys(settings).length === 0)
    throw usageError('give at least one name=value or --reset <name>');
  return settings;
}

function renderSettings(current: ServerSettings): string {
  const rows = Object.entries(current.settings).map(([name, value]) => ({ name, value }));
  if (rows.length === 0) return 'no settings changed: the active branch runs the clone defaults';
  return formatTable(
    [
      { header: 'NAME', value: (row: { name: string; value: string }) => row.name },
      { header: 'VALUE', value: (row) => row.value },
      {
        header: 'PENDING RESTART',
        value: (row) => (current.pendingRestart.includes(row.name) ? 'yes' : ''),
      },
    ],
    rows,
  );
}
