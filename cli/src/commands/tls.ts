import { api as rest } from '@branchpoint/api-client';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { contextOf, type Io } from '../context.js';

/** Where `ca` writes the certificate unless told otherwise. */
export const DEFAULT_CA_FILE = 'branchpoint-ca.pem';

/** `ca <containerId>`: the CA the container's servers' certificates chain to, for `sslmode=verify-full`. */
export function registerCaCommand(program: Command, io: Io): void {
  program
    .command('ca <containerId>')
    .description(
      "write the CA certificate of a container's database servers (PEM), to verify them with sslmode=verify-full",
    )
    .option('-o, --output <file>', `where to write it; - for stdout`, DEFAULT_CA_FILE)
    .action(async (id: string, options: { output: string }, command: Command) => {
      const ctx = contextOf(io, command);
      const api = await ctx.api();
      const pem = await api.send(rest.containers.caCertificate(id));
      if (options.output === '-') {
        ctx.output.result({ certificate: pem }, () => pem);
        return;
      }
      await writeFile(options.output, pem);
      ctx.output.message(
        `wrote ${options.output}; connect with sslmode=verify-full sslrootcert=${options.output}`,
      );
      ctx.output.result({ file: options.output }, () => '');
    });
}
