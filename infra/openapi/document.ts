/**
 * The API's OpenAPI document as files: `openapi.json` (what `GET /openapi.json` serves) for
 * Redocly to lint, and the TypeScript types the portal's client is generated from.
 *
 *   npm run lint:openapi   writes cdk.out/openapi.json, then `redocly lint` reads it
 *   npm run gen:api        writes web/src/api-types.ts (committed; a test fails when it is stale)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../../functions/api/app.ts';
import type { Deps } from '../../shared/application/deps.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DOCUMENT_FILE = path.join(ROOT, 'cdk.out/openapi.json');
export const API_TYPES_FILE = path.join(ROOT, 'web/src/api-types.ts');

/**
 * The document of the real router. Routes only use their dependencies while serving a request,
 * so none are needed to describe them.
 */
export function apiDocument(): object {
  return openApiDocument({} as Deps);
}

const HEADER = `/**
 * The v1 API's types, generated from its OpenAPI document by openapi-typescript.
 * Do not edit: run \`npm run gen:api\` after changing a route or schema (a test fails when this is stale).
 */

`;

/** The portal's API types, as `npm run gen:api` writes them. */
export async function apiTypes(): Promise<string> {
  const ast = await openapiTS(JSON.parse(JSON.stringify(apiDocument())), { exportType: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const what = process.argv[2];
  if (what === 'document') {
    await mkdir(path.dirname(DOCUMENT_FILE), { recursive: true });
    await writeFile(DOCUMENT_FILE, `${JSON.stringify(apiDocument(), null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), DOCUMENT_FILE)}`);
  } else if (what === 'types') {
    await writeFile(API_TYPES_FILE, await apiTypes());
    console.log(`wrote ${path.relative(process.cwd(), API_TYPES_FILE)}`);
  } else {
    console.error('usage: tsx infra/openapi/document.ts document|types');
    process.exit(2);
  }
}
