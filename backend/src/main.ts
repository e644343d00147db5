import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { API_PREFIX, AppModule } from './app.module.js';
import { NEXT_CURSOR_HEADER } from './common/pagination.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { RedisIoAdapter } from './events/redis-io.adapter.js';
import { createOpenApiDocument } from './openapi.js';
import { securityHeaders } from './security-headers.js';

async function bootstrap(): Promise<void> {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const { config, warnings } = loaded;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    bufferLogs: true,
    // Forge webhooks are verified against the exact bytes signed (pull-requests/forge-events.ts).
    rawBody: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  for (const warning of warnings) logger.warn(warning);
  // req.ip (login limits, audit) is the forwarded client only when a trusted proxy says so.
  app.set('trust proxy', config.trustedProxies.length > 0 ? config.trustedProxies : false);
  app.use(securityHeaders());
  // Closed unless origins are listed: the UI is served from the API's own origin.
  // Pages of lists name the next one in headers, which browsers hide from other origins unless exposed.
  if (config.corsOrigins.length > 0)
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: [NEXT_CURSOR_HEADER, 'Link'] });
  app.setGlobalPrefix(API_PREFIX);
  app.useWebSocketAdapter(
    new RedisIoAdapter(app, config.redisUrl, config.queuePrefix, config.corsOrigins),
  );
  app.enableShutdownHooks();
  SwaggerModule.setup('api/docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
  });
  await app.listen(config.port);
  logger.log(
    `control plane listening on port ${config.port}${config.uiDir ? `, UI from ${config.uiDir}` : ', no UI directory'}`,
  );
}

await bootstrap();
