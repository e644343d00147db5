// The storage agent's API as code: routes with their schemas (zod). Imported by the control
// plane's agent client and the agent; the UI never needs it, so it stays out of the main entry.
export * from './answers.js';
export * from './routes.js';
export * from './schemas.js';
export * from './previews.js';
