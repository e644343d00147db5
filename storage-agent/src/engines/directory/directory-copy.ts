import { execa } from 'execa';
import { AgentFailure } from '../../common/agent-failure.js';

/** Copies a directory source into its dataset with `rsync -a --delete` (argument array, no shell). */
export async function copyDirectory(from: string, to: string): Promise<void> {
  const result = await execa(
    'rsync',
    ['-a', '--delete', `${from.replace(/\/+$/, '')}/`, `${to}/`],
    { reject: false, stdin: 'ignore' },
  );
  if (result.exitCode !== 0) {
    throw new AgentFailure(
      502,
      'ingest-failed',
      `copying ${from} failed: ${String(result.stderr).trim().split('\n').pop() ?? result.exitCode}`,
    );
  }
}
