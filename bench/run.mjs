// npm run bench: runs every bench module (bench/<name>/index.mjs) in one shared context and
// prints ONE table of what they measured. See bench/README.md for how to add a module.
//
//   node bench/run.mjs [--quick] [--only=a,b] [--write-docs]
import { readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContext, log, repo } from './lib/context.mjs';
import { renderTable } from './lib/table.mjs';

// Modules in this order first (cheap before long), any other folder after them by name.
const ORDER = ['space', 'operations', 'throughput', 'density', 'clone-vs-copy'];

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const writeDocs = args.includes('--write-docs');

function moduleNames() {
  const here = import.meta.dirname;
  const found = readdirSync(here, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, 'index.mjs')))
    .map((entry) => entry.name);
  const ordered = [
    ...ORDER.filter((name) => found.includes(name)),
    ...found.filter((name) => !ORDER.includes(name)).sort(),
  ];
  return only ? ordered.filter((name) => only.includes(name)) : ordered;
}

/** Replaces the table between the markers of docs/benchmarks.md with this run's. */
function keepInDocs(table, started) {
  const file = join(repo, 'docs/benchmarks.md');
  const begin = '<!-- bench:table -->';
  const end = '<!-- /bench:table -->';
  const text = readFileSync(file, 'utf8');
  const [before, rest] = text.split(begin);
  const after = rest?.split(end)[1];
  if (after === undefined) throw new Error(`docs/benchmarks.md has no ${begin} … ${end} markers`);
  const stamp = `Run of ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}:`;
  writeFileSync(file, `${before}${begin}\n${stamp}\n\n${table}\n${end}${after}`);
}

const started = new Date();
const context = await createContext({ quick });
// Ctrl-C: the servers, the agent and the dataset go as at the end of a run.
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void context.cleanUp().finally(() => process.exit(130));
  });
const rows = [];
let failed = false;
try {
  for (const name of moduleNames()) {
    log(`module ${name}`);
    const module = (await import(pathToFileURL(join(import.meta.dirname, name, 'index.mjs')).href))
      .default;
    try {
      rows.push(...(await module.run(context)));
    } catch (error) {
      failed = true;
      log(`module ${name} failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
} finally {
  await context.cleanUp();
}
const table = renderTable(rows);
console.log(table);
console.log(
  `\n${quick ? 'quick run; ' : ''}floors measured in the same run on the same data; ratio = measured ÷ floor; full copy = pg_basebackup + start + first query`,
);
if (writeDocs && !failed) keepInDocs(table, started);
process.exit(failed ? 1 : 0);
