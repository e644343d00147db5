import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HTTP_ERROR_NAMES, type ErrorBody, type ErrorCode } from '@branchpoint/contracts';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { AppException } from './app.exception.js';
import { isConnectionLost } from './connection-lost.js';

/** The one place errors become HTTP answers. Unknown errors are logged and answered with 500. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (exception instanceof AppException) response.set(exception.headers);
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppException)
      return body(exception.statusCode, exception.message, exception.code);
    if (exception instanceof HttpException) {
      const answer = exception.getResponse();
      const message =
        typeof answer === 'object' && answer !== null && 'message' in answer
          ? answer.message
          : exception.message;
      return body(
        exception.getStatus(),
        Array.isArray(message) ? message.join('; ') : String(message),
        requestCode(exception.getStatus()),
      );
    }
    if (isConnectionLost(exception))
      return body(
        503,
        'the metadata database is unavailable; try again in a moment',
        'metadata.unavailable',
      );
    const databaseCode = databaseErrorCode(exception);
    // Two requests racing for the same unique name; the services check first, the index decides.
    if (databaseCode === UNIQUE_VIOLATION)
      return body(409, 'it already exists', 'catalog.duplicate');
    if (databaseCode && BAD_VALUE.has(databaseCode))
      return body(400, 'a value has the wrong format', 'request.invalid');
    // body-parser errors (malformed JSON, too large) carry their own 4xx status.
    const status = (exception as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      return body(
        status,
        type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : (exception as Error).message,
        requestCode(status),
      );
    }
    return body(500, 'internal error', 'internal');
  }
}

const UNIQUE_VIOLATION = '23505';
/** invalid_text_representation, invalid_datetime_format, datetime_field_overflow, numeric_value_out_of_range */
const BAD_VALUE = new Set(['22P02', '22007', '22008', '22003']);

function databaseErrorCode(exception: unknown): string | undefined {
  if (!(exception instanceof QueryFailedError)) return undefined;
  const code = (exception.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function body(statusCode: number, message: string, code: ErrorCode): ErrorBody {
  return { statusCode, error: HTTP_ERROR_NAMES[statusCode] ?? 'Error', code, message };
}

/** Errors Nest and body-parser raise themselves, before any feature code runs. */
function requestCode(status: number): ErrorCode {
  if (status === 404) return 'route.not-found';
  if (status === 413) return 'request.too-large';
  return status >= 500 ? 'internal' : 'request.invalid';
}
