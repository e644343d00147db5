export * from './api-call.js';
export * from './fetch-client.js';
export { api } from './generated/operations.js';
// The REST shapes by name: ApiComponents['schemas']['Container'], ApiPaths['/api/v1/...'].
export type { components as ApiComponents, paths as ApiPaths } from './generated/openapi.js';
