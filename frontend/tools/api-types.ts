// API types for the UI and the CLI: docs/openapi.json (the control plane's committed contract)
// through openapi-typescript into libs/contracts/src/openapi.d.ts. With --check, writes nothing and
// fails when the committed file no longer matches the contract.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import prettier from 'prettier';

const spec = new URL('../../docs/openapi.json', import.meta.url);
const target = fileURLToPath(new URL('../../libs/contracts/src/openapi.d.ts', import.meta.url));
const header =
  '/**\n * Generated from docs/openapi.json by `npm run generate:api -w @branchpoint/frontend`.\n * Do not edit.\n */\n\n';

const source = header + astToString(await openapiTS(spec));
const generated = await prettier.format(source, {
  ...(await prettier.resolveConfig(target)),
  parser: 'typescript',
});

if (process.argv.includes('--check')) {
  if (generated !== readFileSync(target, 'utf8')) {
    console.error(
      `${target} does not match docs/openapi.json: run npm run generate:api -w @branchpoint/frontend`,
    );
    process.exit(1);
  }
  console.log('API types match docs/openapi.json');
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target}`);
}
