export * from './ids.js';
export * from './agent.js';
export * from './jobs.js';
export * from './events.js';
export * from './errors.js';
export * from './duration.js';
export * from './faults.js';
// The control plane's REST shapes, generated from docs/openapi.json (one copy for UI and CLI).
export type { components as ApiComponents, paths as ApiPaths } from './openapi.js';
