/**
 * Typed errors thrown by features. Each carries its HTTP status; the one exception filter
 * (http-exception.filter.ts) turns them into `{statusCode, error, message}`.
 */
export abstract class AppException extends Error {
  abstract readonly statusCode: number;
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
  constructor(kind: string, id: string) {
    super(`${kind} ${id} not found`);
  }
}

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
