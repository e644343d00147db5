import { api as rest } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { DrainResult, Host } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { CliError, ExitCode } from '../errors.js';
import { waitForJob, withWaitOptions, type WaitOptions } from '../operation.js';
import { formatTable, type Column } from '../output.js';

type Move = DrainResult['moves'][number] & { hostName: string };
type Skipped = DrainResult['skipped'][number];

const MOVE_COLUMNS: readonly Column<Move>[] = [
  { header: 'CONTAINER', value: (m) => m.name },
  { header: 'TO HOST', value: (m) => m.hostName },
  { header: 'JOB', value: (m) => m.jobId },
];

const SKIPPED_COLUMNS: readonly Column<Skipped>[] = [
  { header: 'CONTAINER', value: (s) => s.name },
  { header: 'WHY IT STAYS', value: (s) => s.reason },
];

/** `admin drain <host>` and `admin undrain <host>`: move every container off a host, or take new ones there again. */
export function registerDrainCommands(admin: Command, io: Io): void {
  withWaitOptions(
    admin
      .command('drain <host>')
      .description(
        'move every container off the host (by id or name), each to where placement puts it; the host takes no new containers until undrain',
      ),
  ).action(async (idOrName: string, options: WaitOptions, command: Command) => {
    const ctx = contextOf(io, command);
    const api = await ctx.api();
    const hosts = await api.sendAll(rest.hosts.list());
    const host = hostNamed(hosts, idOrName);
    const result = await api.send(rest.moves.drain(host.id));
    const nameOf = (id: string) => hosts.find((h) => h.id === id)?.name ?? id;
    const moves = result.moves.map((move) => ({ ...move, hostName: nameOf(move.hostId) }));
    ctx.output.result(result, () => drainText(host.name, moves, result.skipped));
    if (options.wait === false) return;
    const failed: string[] = [];
    for (const move of moves) {
      const what = `move container "${move.name}" to host ${move.hostName}`;
      try {
        await waitForJob(api, ctx.output, move.jobId, options.waitTimeout, what);
        ctx.output.message(`${what}: done`);
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        ctx.output.message(error.message);
        failed.push(move.name);
      }
    }
    if (failed.length > 0)
      throw new CliError(`${failed.length} move(s) failed: ${failed.join(', ')}`, ExitCode.failed);
  });

  admin
    .command('undrain <host>')
    .description('the host (by id or name) takes new containers again after a drain')
    .action(async (idOrName: string, _options: unknown, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const host = hostNamed(await api.sendAll(rest.hosts.list()), idOrName);
      await api.send(rest.moves.endDrain(host.id));
      ctx.output.message(`host ${host.name} takes new containers again`);
    });
}

/** A registered host by id or name (404 exit code naming the hosts when none matches). */
function hostNamed(hosts: Host[], idOrName: string): Host {
  const found = hosts.find((host) => host.id === idOrName || host.name === idOrName);
  if (found) return found;
  const known = hosts.map((host) => host.name).join(', ') || 'none';
  throw new CliError(`no host "${idOrName}" (hosts: ${known})`, ExitCode.notFound);
}

function drainText(hostName: string, moves: Move[], skipped: Skipped[]): string {
  const lines = [`host ${hostName} is draining: ${moves.length} move(s) started`];
  if (moves.length > 0) lines.push('', formatTable(MOVE_COLUMNS, moves));
  if (skipped.length > 0) lines.push('', 'staying:', formatTable(SKIPPED_COLUMNS, skipped));
  return lines.join('\n');
}
