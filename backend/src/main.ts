import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { API_PREFIX, AppModule } from './app.module.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { RedisIoAdapter } from './events/redis-io.adapter.js';
import { createOpenApiDocument } from './openapi.js';

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
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  for (const warning of warnings) logger.warn(warning);
  app.setGlobalPrefix(API_PREFIX);
  app.useWebSocketAdapter(new RedisIoAdapter(app, config.redisUrl, config.queuePrefix));
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
