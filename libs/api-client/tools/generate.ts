// The control plane's REST API for the UI, the CLI and the tests, generated from docs/openapi.json
// (the committed contract, which the backend's openapi.spec.ts keeps equal to its controllers):
//   src/generated/openapi.d.ts   the request and answer types (openapi-typescript)
//   src/generated/operations.ts  one typed call per operation, named after its operationId
// With --check, writes nothing and fails naming each file that no longer matches the contract.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

interface Operation {
  operationId: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required?: boolean };
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const specUrl = new URL('../../../docs/openapi.json', import.meta.url);
const generated = (name: string) =>
  fileURLToPath(new URL(`../src/generated/${name}`, import.meta.url));
const HEADER =
  '/**\n * Generated from docs/openapi.json by `npm run generate -w @branchpoint/api-client`.\n * Do not edit.\n */\n\n';

/** `ContainersController_rotateCredentials` → ['containers', 'rotateCredentials']. */
function names(operationId: string): [string, string] {
  const match = /^([A-Z][A-Za-z]*)Controller_([A-Za-z]+)$/.exec(operationId);
  if (!match) throw new Error(`operationId ${operationId} is not <Feature>Controller_<name>`);
  const feature = match[1]!;
  return [feature[0]!.toLowerCase() + feature.slice(1), match[2]!];
}

/** What a success answers: JSON, text of another type (a PEM file, metrics), or nothing. */
function answerOf(operation: Operation, type: string): { type: string; accept?: string } {
  const success = Object.entries(operation.responses).find(([status]) => /^2/.test(status));
  const content = success?.[1].content;
  if (!content) return { type: 'void' };
  if ('application/json' in content) return { type: `Answer<${type}>` };
  return { type: 'string', accept: Object.keys(content)[0] };
}

function operationSource(path: string, method: string, operation: Operation): string {
  const [, name] = names(operation.operationId);
  const type = `paths['${path}']['${method}']`;
  const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
  const hasQuery = (operation.parameters ?? []).some((p) => p.in === 'query');
  const args = pathParams.map((p) => `${p}: string`);
  const options: string[] = [];
  if (operation.requestBody) {
    args.push(`body${operation.requestBody.required ? '' : '?'}: JsonBody<${type}>`);
    options.push('body');
  }
  if (hasQuery) {
    args.push(`query?: QueryOf<${type}>`);
    options.push('query');
  }
  const answer = answerOf(operation, type);
  if (answer.accept) options.push(`accept: '${answer.accept}'`);
  const url = path.replace(/\{([A-Za-z]+)\}/g, (_, p: string) => `\${segment(${p})}`);
  const doc = `/** ${method.toUpperCase()} ${path}${operation.summary ? `: ${operation.summary}` : ''} */`;
  const rest = options.length > 0 ? `, { ${options.join(', ')} }` : '';
  return `${doc}\n${name}: (${args.join(', ')}) => apiCall<${answer.type}>('${method.toUpperCase()}', \`${url}\`${rest}),`;
}

function operationsSource(document: Document): string {
  const groups = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths))
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const [group] = names(operation.operationId);
      groups.set(group, [...(groups.get(group) ?? []), operationSource(path, method, operation)]);
    }
  const body = [...groups.entries()]
    .map(([group, operations]) => `${group}: {\n${operations.join('\n')}\n},`)
    .join('\n');
  return `${HEADER}import { apiCall, segment, type Answer, type JsonBody, type QueryOf } from '../api-call.js';
import type { paths } from './openapi.js';

/** Every operation of the control plane's REST API, as a call a client sends (see ApiCall). */
export const api = {\n${body}\n} as const;\n`;
}

async function format(source: string, file: string): Promise<string> {
  return prettier.format(source, { ...(await prettier.resolveConfig(file)), parser: 'typescript' });
}

/** Where the committed file first differs from what the document generates. */
function firstDifference(committed: string, wanted: string): string {
  const have = committed.split('\n');
  const want = wanted.split('\n');
  const index = want.findIndex((line, i) => line !== have[i]);
  const at = index === -1 ? want.length : index;
  return `line ${at + 1} (committed: ${JSON.stringify(have[at] ?? '')}, generated: ${JSON.stringify(want[at] ?? '')})`;
}

const document = JSON.parse(readFileSync(specUrl, 'utf8')) as Document;
const files = [
  [generated('openapi.d.ts'), HEADER + astToString(await openapiTS(specUrl))],
  [generated('operations.ts'), operationsSource(document)],
] as const;

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, source] of files) {
  const text = await format(source, file);
  if (!check) {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  } else if (text !== readFileSync(file, 'utf8')) {
    console.error(
      `${file} does not match docs/openapi.json at ${firstDifference(readFileSync(file, 'utf8'), text)}; run npm run generate -w @branchpoint/api-client`,
    );
    stale++;
  }
}
if (check && stale > 0) process.exit(1);
if (check) console.log('the API client matches docs/openapi.json');
