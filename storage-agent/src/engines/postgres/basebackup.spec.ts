import { describe, expect, it } from 'vitest';
import { parseBasebackupProgress } from './basebackup.js';

describe('parseBasebackupProgress', () => {
  it.each([
    ['    0/48879 kB (0%), 0/1 tablespace', 0],
    ['22528/48879 kB (46%), 0/1 tablespace (...ql/15/main/base/1/2608)', 46],
    ['48888/48888 kB (100%), 1/1 tablespace', 100],
  ])('reads %s', (line, percent) => {
    expect(parseBasebackupProgress(line)).toBe(percent);
  });

  it('ignores other lines', () => {
    expect(parseBasebackupProgress('pg_basebackup: error: connection to server failed')).toBeNull();
  });
});
