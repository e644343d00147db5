import { describe, expect, it } from 'vitest';
import { expiresIn, parseDuration } from './duration.js';
import { CliError, ExitCode } from './errors.js';

// The parser itself is tested where it lives (@branchpoint/contracts); here, its CLI face.
describe('duration options', () => {
  it('read durations such as 90s, 2h, 7d or 1h30m', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(expiresIn(' 2w ')).toBe('2w');
  });

  it.each(['', '2', '2 hours', '0m'])('refuse "%s" as a usage error (exit 2)', (text) => {
    for (const option of [parseDuration, expiresIn]) {
      let error: unknown;
      try {
        option(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(ExitCode.usage);
      expect((error as CliError).message).toContain(`invalid duration "${text}"`);
    }
  });
});
