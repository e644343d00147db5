// Builds the installable CLI: one bundled file (the CLI with its workspace libraries and
// dependencies, so an install pulls nothing else) in a package named `branchpoint`, packed as
// dist/branchpoint.tgz, which the control plane serves at /api/v1/cli/branchpoint.tgz.
// Run by `npm run build` after tsc; `node tools/package.ts`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cliDir = fileURLToPath(new URL('..', import.meta.url));
const stage = join(cliDir, 'dist/package');
const tarball = join(cliDir, 'dist/branchpoint.tgz');
const manifest = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as {
  version: string;
  description: string;
};

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'bin'), { recursive: true });
await build({
  entryPoints: [join(cliDir, 'src/main.ts')],
  outfile: join(stage, 'bin/branchpoint.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: false,
  legalComments: 'eof',
  // Bundled CommonJS dependencies (ws under socket.io) require() Node's modules, which an ES
  // module has no `require` for.
  banner: {
    js: "import { createRequire as __bpCreateRequire } from 'node:module'; const require = __bpCreateRequire(import.meta.url);",
  },
  // Optional native speed-ups of ws, loaded only when installed.
  external: ['bufferutil', 'utf-8-validate'],
  logLevel: 'warning',
});
// main.ts reads its version from ../package.json, which from bin/ is this one.
writeFileSync(
  join(stage, 'package.json'),
  `${JSON.stringify(
    {
      name: 'branchpoint',
      version: manifest.version,
      description: manifest.description,
      type: 'module',
      bin: { branchpoint: 'bin/branchpoint.js' },
      files: ['bin'],
      engines: { node: '>=24' },
    },
    null,
    2,
  )}\n`,
);
const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', stage], {
    cwd: stage,
    encoding: 'utf8',
  }),
) as { filename: string }[];
renameSync(join(stage, packed!.filename), tarball);
console.log(`cli: packed ${tarball}`);
