import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const frontend = fileURLToPath(new URL('../..', import.meta.url));
const index = join(frontend, 'dist/browser/index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The control plane serves frontend/dist/browser: build it unless it is newer than the sources. */
export default function buildUi(): void {
  if (existsSync(index) && statSync(index).mtimeMs > newestSource(join(frontend, 'src'))) return;
  execFileSync(join(frontend, '../node_modules/.bin/ng'), ['build'], {
    cwd: frontend,
    stdio: 'inherit',
    env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
  });
}
