import { execFileSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgram, run } from '../main.js';
import { completionScript, completionWords } from './completion.js';

const io = () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    io: { stdout, stderr, stdin: Readable.from([]), env: {} },
    out: () => out,
    err: () => err,
  };
};

/** What bash's completion offers after `line` (the last word is the one being completed). */
function bashCompletes(line: string): string[] {
  const script = completionScript('bash', createProgram(io().io));
  const words = line.split(' ');
  const output = execFileSync(
    'bash',
    [
      '-c',
      `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _branchpoint; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  return output.split('\n').filter(Boolean).sort();
}

describe('completion', () => {
  it('lists each command path with its subcommands and long options', () => {
    const words = completionWords(createProgram(io().io));
    expect(words.get('branchpoint')).toEqual(
      expect.arrayContaining(['containers', 'login', 'completion', '--json', '--url']),
    );
    expect(words.get('branchpoint containers')).toEqual(
      expect.arrayContaining(['list', 'create', 'move']),
    );
    expect(words.get('branchpoint containers move')).toEqual(
      expect.arrayContaining(['--host', '--no-wait']),
    );
    expect(words.get('branchpoint admin')).toEqual(expect.arrayContaining(['drain', 'undrain']));
  });

  it('bash completes commands, subcommands after options, and options', () => {
    expect(bashCompletes('branchpoint con')).toEqual(['connection-string', 'containers']);
    expect(bashCompletes('branchpoint --json containers li')).toEqual(['list']);
    expect(bashCompletes('branchpoint completion ')).toEqual(['--help']);
    expect(bashCompletes('branchpoint --js')).toEqual(['--json']);
  });

  it('prints the script for bash and zsh and refuses other shells', async () => {
    const bash = io();
    expect(await run(['completion', 'bash'], bash.io)).toBe(0);
    expect(bash.out()).toContain('complete -o default -F _branchpoint branchpoint');
    const zsh = io();
    expect(await run(['completion', 'zsh'], zsh.io)).toBe(0);
    expect(zsh.out()).toContain('compdef _branchpoint branchpoint');
    const fish = io();
    expect(await run(['completion', 'fish'], fish.io)).toBe(2);
    expect(fish.err()).toContain('unknown shell fish: use bash or zsh');
  });
});
