import type { ErrorCode } from '@branchpoint/contracts';

/**
 * Typed errors thrown by features. Each carries its HTTP status; the one exception filter
 * (http-exception.filter.ts) turns them into `{statusCode, error, message}`.
 */
export abstract class AppException extends Error {
  abstract readonly statusCode: number;
  /** The stable code clients act on (libs/contracts errors.ts). */
  code?: ErrorCode;
}

export class BadInputException extends AppException {
  readonly statusCode = 400;
}

export class UnauthorizedException extends AppException {
  readonly statusCode = 401;
}

export class ForbiddenException extends AppException {
  readonly statusCode = 403;
}

/** Also thrown when an object exists but the caller may not see it: nobody learns it exists. */
export class NotFoundException extends AppException {
  readonly statusCode = 404;
  constructor(kind: NotFoundKind, id: string) {
    super(`${kind} ${id} not found`);
    this.code = `${kind}.not-found`;
  }
}

/** What can be not found: every `<kind>.not-found` error code. */
export type NotFoundKind = ErrorCode extends infer C
  ? C extends `${infer Kind}.not-found`
    ? Kind
    : never
  : never;

export class ConflictException extends AppException {
  readonly statusCode = 409;
}

export class TooManyRequestsException extends AppException {
  readonly statusCode = 429;
}

/** A storage agent could not be reached or failed on its side. */
export class AgentUnavailableException extends AppException {
  readonly statusCode = 503;
}
