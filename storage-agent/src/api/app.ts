import Fastify, { type FastifyInstance } from 'fastify';
import type { Agent } from '../agent.js';
import { AgentFailure } from '../common/agent-failure.js';
import { registerBearerAuth } from './auth.js';
import { branchRoutes } from './branch.routes.js';
import { containerRoutes } from './container.routes.js';
import { toAgentError } from './errors.js';
import { faultRoutes } from './fault.routes.js';
import { registerInstallationGuard } from './installation-guard.js';
import { registerOperations } from './operations.js';
import { explainFullPool } from './pool-space.js';
import { previewRoutes } from './preview.routes.js';
import { systemRoutes } from './system.routes.js';
import { templateRoutes } from './template.routes.js';
import { transferRoutes } from './transfer.routes.js';

/**
 * The HTTP layer: authentication, validation, routing to one service call, and error answers.
 * The agent serves it over HTTPS (`https`); tests that only inject requests leave it out.
 */
export function buildApp(
  agent: Agent,
  token: string,
  options: {
    logger?: boolean;
    https?: { cert: string; key: string };
    /** Test-only: PUT/DELETE /v1/test/fault exist (BP_FAULT_INJECTION=on). */
    faultInjection?: boolean;
  } = {},
): FastifyInstance {
  // Logs go to stdout as JSON lines: warnings and failures only, not every request.
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    logger: options.logger ? { level: 'warn' } : false,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 1000 },
  });
  acceptEmptyJson(app);
  registerBearerAuth(app, token);
  registerInstallationGuard(app, agent.installations);
  registerOperations(app);
  app.setErrorHandler(async (error, request, reply) => {
    let body = toAgentError(error);
    if (body.statusCode >= 500) {
      body = await explainFullPool(body, agent.zfs, agent.layout.root);
      request.log.error({ err: error }, body.message);
    }
    return reply.code(body.statusCode).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      statusCode: 404,
      code: 'not-found',
      message: `no route ${request.method} ${request.url.split('?')[0]}`,
    });
  });
  systemRoutes(app, agent);
  templateRoutes(app, agent.templates);
  containerRoutes(app, agent.containers, agent.moves);
  branchRoutes(app, agent.branches);
  transferRoutes(app, agent.transfers);
  previewRoutes(app, agent.previews);
  if (options.faultInjection) faultRoutes(app);
  return app;
}

/** Calls without a payload may still say `content-type: application/json`; an empty body is no body. */
function acceptEmptyJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new AgentFailure(400, 'bad-request', 'body is not valid JSON'), undefined);
    }
  });
}
