#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './commands/admin.js';
import { registerBookmarkCommands } from './commands/bookmarks.js';
import { registerBranchCommands } from './commands/branches.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerConnectionStringCommand } from './commands/connection-string.js';
import { registerContainerCommands } from './commands/containers.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerRebaseCommand } from './commands/rebase.js';
import { registerJobCommands } from './commands/jobs.js';
import { registerLoginCommand, registerLogoutCommand } from './commands/login.js';
import { registerTemplateCommands } from './commands/templates.js';
import { registerCaCommand } from './commands/tls.js';
import { DEFAULT_URL } from './config.js';
import type { Io } from './context.js';
import { CliError, ExitCode } from './errors.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** The command tree. Usage errors surface as CommanderError (see `run`), nothing exits the process. */
export function createProgram(io: Io): Command {
  const program = new Command('branchpoint')
    .description(
      'Branchpoint from the command line and from pipelines: containers, branches, bookmarks and their operations',
    )
    .version(version)
    .option(
      '--url <url>',
      `the Branchpoint server (env BRANCHPOINT_URL, else the one you logged in to, else ${DEFAULT_URL})`,
    )
    .option('--token <token>', 'an API token (env BRANCHPOINT_TOKEN, else the one stored by login)')
    .option('--json', 'print the result as JSON on stdout; messages stay on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerLoginCommand(program, io);
  registerLogoutCommand(program, io);
  registerTemplateCommands(program, io);
  registerContainerCommands(program, io);
  registerBranchCommands(program, io);
  registerBookmarkCommands(program, io);
  registerDiffCommand(program, io);
  registerRebaseCommand(program, io);
  registerJobCommands(program, io);
  registerConnectionStringCommand(program, io);
  registerCaCommand(program, io);
  registerAdminCommands(program, io);
  registerCompletionCommand(program, io);
  return program;
}

/** Runs one command line (without `node main.js`) and returns the exit code (docs/cli.md). */
export async function run(args: readonly string[], io: Io): Promise<number> {
  try {
    await createProgram(io).parseAsync([...args], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    // Commander has already printed its message (or the help / version asked for).
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (error instanceof CliError) {
      io.stderr.write(`branchpoint: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(
      `branchpoint: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.failed;
  }
}

if (import.meta.main) {
  // A reader that went away (`| head`) is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  process.exitCode = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}
