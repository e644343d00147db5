export * from './agent-fetch.js';
export * from './api-client.js';
export * from './clone-client.js';
export * from './processes.js';
export * from './source-database.js';
export * from './stack.js';
export * from './fake-forge.js';
