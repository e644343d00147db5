import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CODES, HTTP_ERROR_NAMES } from '@branchpoint/contracts';

/** The OpenAPI document generated from the controllers and DTOs. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Branchpoint control plane')
    .setDescription(
      'Containers, branches, timelines and bookmarks of copy-on-write database copies. Every error answers with an ErrorBody `{statusCode, error, code, message}`: `code` is stable (ERROR_STATUS in libs/contracts errors.ts), `message` is for people.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ErrorBody: ERROR_BODY_SCHEMA },
  };
  return document;
}

type ErrorBodySchema = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

/** Every error answer's body (common/http-exception.filter.ts), with the stable codes. */
const ERROR_BODY_SCHEMA: ErrorBodySchema = {
  type: 'object',
  required: ['statusCode', 'error', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 409 },
    error: {
      type: 'string',
      enum: [...new Set(Object.values(HTTP_ERROR_NAMES))],
      example: 'Conflict',
    },
    code: {
      type: 'string',
      enum: [...ERROR_CODES],
      description: 'Stable: clients act on it. Each code answers with one HTTP status.',
      example: 'container.locked',
    },
    message: { type: 'string', description: 'For people; may be reworded.' },
  },
};

export function stableJson(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
