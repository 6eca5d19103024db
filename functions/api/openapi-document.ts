/**
 * The API's OpenAPI document for the Lambda handler, which imports this module with `import()`
 * when `/openapi.json` or `/docs` is first asked for. The Lambda bundle carries the document
 * itself: infra/aws/bundle.ts evaluates this module at build time and bundles its JSON, so
 * zod-to-openapi's document generator is not part of the function. Run from source, the
 * document is generated from the routes here.
 */
import type { Deps } from '../../shared/application/deps.ts';
import { openApiDocument } from './app.ts';

/** Routes only use their dependencies while serving a request: none are needed to describe them. */
export default openApiDocument({} as Deps) as object;
