import { describe, expect, it } from 'vitest';
import { processRunner } from './command-runner.js';

describe('processRunner', () => {
  it('answers the output and exit code of a program that ran', async () => {
    const result = await processRunner('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toEqual({ stdout: 'out\n', stderr: 'err\n', exitCode: 3 });
  });

  it('passes arguments as they are, never through a shell', async () => {
    const result = await processRunner('printf', ['%s|', 'a b', '$(id)', ';']);
    expect(result).toEqual({ stdout: 'a b|$(id)|;|', stderr: '', exitCode: 0 });
  });

  it('gives the program an empty stdin, so a reader ends at once', async () => {
    expect(await processRunner('cat', [])).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('answers a program that could not start with a failure and its reason', async () => {
    const result = await processRunner('/nonexistent/program', ['x']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/ENOENT/);
  });
});
