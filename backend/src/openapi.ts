import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** The OpenAPI document generated from the controllers and DTOs. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Branchpoint control plane')
    .setDescription(
      'Containers, branches, timelines and bookmarks of copy-on-write database copies. Errors: {statusCode, error, code, message}; `code` is stable (see ERROR_STATUS in libs/contracts errors.ts), `message` is for people.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

export function stableJson(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
