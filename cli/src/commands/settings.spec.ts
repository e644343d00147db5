import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../errors.js';
import { settingChanges } from './settings.js';

describe('settingChanges', () => {
  it('turns name=value and --reset into the API body', () => {
    expect(settingChanges(['work_mem=64MB', 'search_path=a,b=c'], ['jit'])).toEqual({
      work_mem: '64MB',
      search_path: 'a,b=c',
      jit: null,
    });
  });

  it('refuses what is not name=value, and nothing to change, as usage errors', () => {
    for (const [assignments, resets] of [
      [['work_mem'], []],
      [['=1'], []],
      [[], []],
    ] as const) {
      let error: unknown;
      try {
        settingChanges(assignments, resets);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(ExitCode.usage);
    }
  });
});
