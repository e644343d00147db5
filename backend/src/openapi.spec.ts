import { isStale } from '@branchpoint/testing';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Decorator metadata (DTO types) only exists in the tsc build, so the generator runs from dist/.
const backend = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const exporter = resolve(backend, 'dist/openapi-export.js');
const committed = resolve(backend, '../docs/openapi.json');

describe('docs/openapi.json', () => {
  it(
    'equals the document generated from the controllers (run `npm run openapi -w backend` after a build)',
    { timeout: 180_000 },
    () => {
      if (isStale(exporter, resolve(backend, 'src'))) {
        execFileSync(
          process.execPath,
          [
            resolve(backend, '../node_modules/typescript/bin/tsc'),
            '-p',
            resolve(backend, 'tsconfig.build.json'),
          ],
          { stdio: 'inherit' },
        );
      }
      const generated = execFileSync(process.execPath, [exporter, '-'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(JSON.parse(readFileSync(committed, 'utf8'))).toEqual(JSON.parse(generated));
    },
  );
});
