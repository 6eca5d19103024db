/** The portal's API types are generated from the OpenAPI document and committed: never stale. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypes } from '../../infra/openapi/document.ts';

describe('web/src/api-types.ts', () => {
  it('is what `npm run gen:api` writes from the current OpenAPI document (run it after changing a route or schema)', async () => {
    expect(await readFile(API_TYPES_FILE, 'utf8')).toBe(await apiTypes());
  });
});
