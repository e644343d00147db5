import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The top-level folders of src/ form layers (docs/architecture.md, "Backend folders"): a folder
// may import only from folders below it. A ring of folders — even one held together by
// `import type` alone — means none of them can be read, tested or moved on its own, so this
// test fails on any cycle and names it with one import per step.

const SRC = dirname(fileURLToPath(import.meta.url));

/** One import from a file in one top-level folder to a file in another. */
interface FolderImport {
  from: string;
  to: string;
  fromFile: string;
  toFile: string;
}

/** Relative module specifiers of every static import and re-export, `import type` included. */
function importedSpecifiers(text: string): string[] {
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
        ? statement.moduleSpecifier
        : undefined;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      specifiers.push(specifier.text);
    }
  }
  return specifiers;
}

/** The top-level folder of a path relative to src/, or undefined for files at the root. */
function topFolder(path: string): string | undefined {
  const parts = path.split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
}

/** Imports across top-level folders, given each file's text by its path relative to src/. */
function folderImports(files: Map<string, string>): FolderImport[] {
  const imports: FolderImport[] = [];
  for (const [fromFile, text] of files) {
    const from = topFolder(fromFile);
    if (!from) continue;
    for (const specifier of importedSpecifiers(text)) {
      const toFile = join(dirname(fromFile), specifier).replace(/\.js$/, '.ts');
      const to = topFolder(toFile);
      if (to && to !== from) imports.push({ from, to, fromFile, toFile });
    }
  }
  return imports;
}

/** The shortest cycle through each folder on a cycle (unless one found already passes it), each step shown with one import. */
function folderCycles(imports: FolderImport[]): string[] {
  const edges = new Map<string, Map<string, FolderImport>>();
  for (const edge of imports) {
    const targets = edges.get(edge.from) ?? new Map<string, FolderImport>();
    if (!targets.has(edge.to)) targets.set(edge.to, edge);
    edges.set(edge.from, targets);
  }
  const cycles: string[] = [];
  const done = new Set<string>();
  for (const start of [...edges.keys()].sort()) {
    if (done.has(start)) continue;
    const path = shortestPath(edges, start, start);
    if (!path) continue;
    path.forEach((edge) => done.add(edge.from));
    const folders = [start, ...path.map((edge) => edge.to)].join(' -> ');
    const via = path.map((edge) => `${edge.fromFile} -> ${edge.toFile}`).join(', ');
    cycles.push(`${folders} via ${via}`);
  }
  return cycles;
}

/** The shortest chain of imports from one folder to another (breadth first). */
function shortestPath(
  edges: Map<string, Map<string, FolderImport>>,
  from: string,
  to: string,
): FolderImport[] | undefined {
  const reachedBy = new Map<string, FolderImport>();
  const queue = [from];
  for (const folder of queue) {
    for (const [next, edge] of edges.get(folder) ?? []) {
      if (reachedBy.has(next)) continue;
      reachedBy.set(next, edge);
      if (next === to) return pathTo(reachedBy, from, to);
      queue.push(next);
    }
  }
  return undefined;
}

/** The imports that led from `from` to `to`, read back from the import that reached each folder. */
function pathTo(reachedBy: Map<string, FolderImport>, from: string, to: string): FolderImport[] {
  const path: FolderImport[] = [];
  for (let folder = to; ;) {
    const edge = reachedBy.get(folder)!;
    path.unshift(edge);
    if (edge.from === from) return path;
    folder = edge.from;
  }
}

/** Every non-spec .ts file under src/, by its path relative to src/. */
function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts')) continue;
    const path = resolve(entry.parentPath, entry.name);
    files.set(relative(SRC, path), readFileSync(path, 'utf8'));
  }
  return files;
}

describe('backend folders', () => {
  it('finds a cycle held together by a type-only import', () => {
    const files = new Map([
      [
        'containers/container.entity.ts',
        "import type { Branch } from '../branches/branch.entity.js';",
      ],
      ['branches/branch.entity.ts', "import { Point } from '../timeline/point.entity.js';"],
      [
        'timeline/point.entity.ts',
        "export { Container } from '../containers/container.entity.js';",
      ],
      ['app.module.ts', "import { X } from './containers/container.entity.js';"],
    ]);
    expect(folderCycles(folderImports(files))).toEqual([
      'branches -> timeline -> containers -> branches via ' +
        'branches/branch.entity.ts -> timeline/point.entity.ts, ' +
        'timeline/point.entity.ts -> containers/container.entity.ts, ' +
        'containers/container.entity.ts -> branches/branch.entity.ts',
    ]);
  });

  it('import each other in no cycle', () => {
    expect(folderCycles(folderImports(sourceFiles()))).toEqual([]);
  });
});
