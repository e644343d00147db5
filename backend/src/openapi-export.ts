/**
 * Writes the OpenAPI document generated from the controllers and DTOs, without connecting to
 * anything (Nest preview mode builds the module graph but no providers).
 * `node dist/openapi-export.js [file]` (default ../docs/openapi.json); `-` prints it.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_PREFIX, AppModule } from './app.module.js';
import { loadConfig } from './config/app-config.js';
import { createOpenApiDocument, stableJson } from './openapi.js';

const PLACEHOLDER_ENV = {
  DATABASE_URL: 'postgres://openapi@localhost/openapi',
  REDIS_URL: 'redis://localhost:6379',
  BRANCHPOINT_ADMIN_PASSWORD: 'unused-first-secret',
  BP_JWT_SECRET: 'openapi-export-placeholder-of-32-bytes',
  BP_SECRET_KEY: Buffer.alloc(32).toString('base64'),
  BP_UI_DIR: '/nonexistent',
  LOG_LEVEL: 'silent',
};

export async function generateOpenApiJson(): Promise<string> {
  const { config } = loadConfig(PLACEHOLDER_ENV);
  const app = await NestFactory.create(AppModule.register(config), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix(API_PREFIX);
  const json = stableJson(createOpenApiDocument(app));
  await app.close();
  return json;
}

const target =
  process.argv[2] ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/openapi.json');
const json = await generateOpenApiJson();
if (target === '-') process.stdout.write(json);
else writeFileSync(target, json);
