import { execa } from 'execa';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs one program with an argument array (never a shell); injectable so tests can spy on it. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandResult>;

export const execaRunner: CommandRunner = async (file, args) => {
  const result = await execa(file, args, { reject: false, stdin: 'ignore' });
  // A program that could not start at all (ENOENT) has no exit code; its reason goes to stderr.
  const stderr =
    result.exitCode === undefined
      ? String(result.shortMessage ?? 'could not run')
      : String(result.stderr ?? '');
  return { stdout: String(result.stdout ?? ''), stderr, exitCode: result.exitCode ?? 1 };
};
