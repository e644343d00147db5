import { api as rest } from '@branchpoint/api-client';
import type { Command } from 'commander';
import type { ContainerDetail, Endpoint } from '../api/types.js';
import { contextOf, type Io } from '../context.js';
import { CliError, ExitCode, usageError } from '../errors.js';

/** `connection-string`: only the string on stdout, for `export DATABASE_URL=$(branchpoint connection-string <id>)`. */
export function registerConnectionStringCommand(program: Command, io: Io): void {
  program
    .command('connection-string <containerId>')
    .description(
      "print the connection string of a container's database (it stays the same across branches)",
    )
    .option('--source <name>', 'which source, when the template has several')
    .action(async (id: string, options: { source?: string }, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const container = await api.send(rest.containers.get(id));
      const endpoint = pickEndpoint(container, options.source);
      ctx.output.result(endpoint, () => endpoint.connectionString);
    });
}

/** The endpoint of `source`, or the only one; an error that names the choices otherwise. */
export function pickEndpoint(
  container: Pick<ContainerDetail, 'id' | 'state' | 'endpoints'>,
  source: string | undefined,
): Endpoint {
  const { endpoints } = container;
  // A string for a container that is not (or no longer) serving would only fail later, in the tests.
  if (container.state !== 'ready') {
    throw new CliError(
      `container ${container.id} is ${container.state}, not ready: no database to connect to`,
      ExitCode.failed,
    );
  }
  if (endpoints.length === 0) {
    throw new CliError(
      `container ${container.id} has no endpoints you can use (they are shown to its owners only)`,
      ExitCode.failed,
    );
  }
  const names = endpoints.map((endpoint) => endpoint.source).join(', ');
  if (source !== undefined) {
    const endpoint = endpoints.find((candidate) => candidate.source === source);
    if (!endpoint)
      throw new CliError(
        `container ${container.id} has no source "${source}" (sources: ${names})`,
        ExitCode.notFound,
      );
    return endpoint;
  }
  if (endpoints.length > 1)
    throw usageError(
      `container ${container.id} has several sources: pick one with --source (${names})`,
    );
  return endpoints[0]!;
}
