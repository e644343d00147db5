import { describe, expect, it } from 'vitest';
import { formatDetails, formatTable, formatTime, Output } from './output.js';

function streams(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    streams: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { isTTY, write: (text: string) => err.push(text) },
    },
  };
}

describe('formatTable', () => {
  const columns = [
    { header: 'ID', value: (row: { id: string; name: string | null; on: boolean }) => row.id },
    { header: 'NAME', value: (row: { id: string; name: string | null; on: boolean }) => row.name },
    { header: 'ON', value: (row: { id: string; name: string | null; on: boolean }) => row.on },
  ];

  it('aligns columns to the widest cell and shows absent values as -', () => {
    const text = formatTable(columns, [
      { id: 'a1', name: 'qa-alice', on: true },
      { id: 'b22222', name: null, on: false },
    ]);
    expect(text.split('\n')).toEqual([
      'ID      NAME      ON',
      'a1      qa-alice  yes',
      'b22222  -         no',
    ]);
  });

  it('prints the header when there are no rows', () => {
    expect(formatTable(columns, [])).toBe('ID  NAME  ON');
  });
});

describe('formatDetails and formatTime', () => {
  it('aligns labels', () => {
    expect(
      formatDetails([
        ['ID', 'x'],
        ['Locked by', null],
      ]),
    ).toBe('ID:        x\nLocked by: -');
  });

  it('prints API timestamps to the second, in UTC', () => {
    expect(formatTime('2026-11-23T09:35:12.345Z')).toBe('2026-11-23 09:35:12Z');
    expect(formatTime(null)).toBe('-');
  });
});

describe('Output', () => {
  it('with --json, puts only JSON on stdout and messages on stderr', () => {
    const { out, err, streams: s } = streams();
    const output = new Output(s, true);
    output.message('working');
    output.result({ id: 'c1' }, () => 'c1');
    expect(JSON.parse(out.join(''))).toEqual({ id: 'c1' });
    expect(err.join('')).toBe('working\n');
  });

  it('without --json, prints the human rendering, and nothing for an empty one', () => {
    const { out, streams: s } = streams();
    const output = new Output(s, false);
    output.result({ id: 'c1' }, () => 'c1');
    output.result({}, () => '');
    expect(out.join('')).toBe('c1\n');
  });

  it('redraws progress in place on a terminal and ends the line before other output', () => {
    const { err, streams: s } = streams(true);
    const output = new Output(s, false);
    output.progress('job: running 10%');
    output.progress('job: running 50%');
    output.message('done');
    expect(err.join('')).toBe('\r\x1b[2Kjob: running 10%\r\x1b[2Kjob: running 50%\ndone\n');
  });

  it('writes one progress line per update in logs', () => {
    const { err, streams: s } = streams(false);
    const output = new Output(s, false);
    output.progress('job: queued 0%');
    output.progress('job: running 40%');
    expect(err.join('')).toBe('job: queued 0%\njob: running 40%\n');
  });
});
