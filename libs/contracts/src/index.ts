export * from './ids.js';
export * from './agent.js';
export * from './jobs.js';
export * from './events.js';
export * from './errors.js';
export * from './duration.js';
export * from './faults.js';
