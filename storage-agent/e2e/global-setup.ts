import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');

/** Newest modification time of the .ts files under a folder. */
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .reduce(
      (newest, entry) =>
        Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs),
      0,
    );
}

function builtAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Builds a project with tsc unless its output is newer than its sources. */
function buildIfStale(project: string, tsconfig: string, output: string): void {
  if (builtAt(path.join(repo, project, output)) > newestSource(path.join(repo, project, 'src')))
    return;
  execFileSync(
    process.execPath,
    [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(repo, project, tsconfig)],
    { stdio: 'inherit' },
  );
}

// The integration suites run the built agent (`node dist/main.js`), as the control plane does.
export default function setup(): void {
  buildIfStale('libs/contracts', 'tsconfig.json', 'dist/index.js');
  buildIfStale('storage-agent', 'tsconfig.build.json', 'dist/main.js');
}
