import { agentRoutes, previewRoutes, type AnyAgentRoute } from '@branchpoint/contracts/agent-api';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { createAgent } from '../agent.js';
import type { CommandRunner } from '../common/command-runner.js';
import type { AgentConfig } from '../config.js';
import { buildApp } from './app.js';

// Every route an app registers, by app: Fastify is wrapped so that each new instance records them.
const registered = vi.hoisted(() => new Map<unknown, string[]>());
vi.mock('fastify', async (importOriginal) => {
  const fastify = await importOriginal<typeof import('fastify')>();
  const recording = ((options?: object) => {
    const app = fastify.default(options) as FastifyInstance;
    const routes: string[] = [];
    registered.set(app, routes);
    app.addHook('onRoute', ({ method, url }) => {
      for (const each of [method].flat()) routes.push(`${each} ${url}`);
    });
    return app;
  }) as unknown as typeof fastify.default;
  return { ...fastify, default: recording };
});

const config = {
  zfsRoot: 'tank/bp',
  pool: 'tank',
  pgBin: '/nonexistent/bin',
  clonePorts: { first: 56000, last: 56010 },
  runDir: '/nonexistent/run',
  cloneHost: '127.0.0.1',
  cloneListen: '127.0.0.1',
  tenantUids: { first: 3000000, last: 3000099 },
  hookTimeoutMs: 600_000,
  tls: { certFile: '/nonexistent/a.crt', keyFile: '/nonexistent/a.key', generate: true },
} as AgentConfig;
const neverRun: CommandRunner = async () => {
  throw new Error('no command runs while routes are registered');
};

/** `METHOD /pattern` of every route the app serves; Fastify's implicit HEAD twins of GETs left out. */
async function servedRoutes(faultInjection: boolean): Promise<string[]> {
  const app = buildApp(createAgent(config, neverRun), 'unit-test-token', { faultInjection });
  await app.ready();
  const routes = registered.get(app) ?? [];
  await app.close();
  return routes
    .filter((route) => !route.startsWith('HEAD ') || !routes.includes(`GET ${route.slice(5)}`))
    .sort();
}

const contract = (include: (testOnly: boolean) => boolean) =>
  [...Object.values(agentRoutes), ...Object.values(previewRoutes)]
    .filter((route: AnyAgentRoute) => include(route.testOnly ?? false))
    .map((route) => `${route.method} ${route.pattern}`)
    .sort();

describe('the agent API contract (libs/contracts agent-api)', () => {
  it('is exactly what the agent serves: no route on one side only', async () => {
    expect(await servedRoutes(false)).toEqual(contract((testOnly) => !testOnly));
  });

  it('has its test-only routes served only with fault injection', async () => {
    expect(await servedRoutes(true)).toEqual(contract(() => true));
  });
});
