import { ERROR_STATUS, type ErrorCode } from '@branchpoint/contracts';

/**
 * Typed errors thrown by features. Each names a stable code from libs/contracts (errors.ts);
 * its HTTP status comes from that code alone. The one exception filter
 * (http-exception.filter.ts) turns them into `{statusCode, error, code, message}`.
 */
export abstract class AppException extends Error {
  readonly statusCode: number;
  /** Headers the answer carries besides the body (e.g. Retry-After). */
  headers: Record<string, string> = {};

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
  }
}

/** The codes that answer with HTTP status S: each family below takes only its own. */
export type CodeWithStatus<S extends number> = {
  [C in ErrorCode]: (typeof ERROR_STATUS)[C] extends S ? C : never;
}[ErrorCode];

export class BadInputException extends AppException {
  constructor(code: CodeWithStatus<400>, message: string) {
    super(code, message);
  }
}

export class UnauthorizedException extends AppException {
  constructor(code: CodeWithStatus<401>, message: string) {
    super(code, message);
  }
}

export class ForbiddenException extends AppException {
  constructor(code: CodeWithStatus<403>, message: string) {
    super(code, message);
  }
}

/** Also thrown when an object exists but the caller may not see it: nobody learns it exists. */
export class NotFoundException extends AppException {
  constructor(kind: NotFoundKind, id: string) {
    super(`${kind}.not-found`, `${kind} ${id} not found`);
  }
}

/** What can be not found: every `<kind>.not-found` error code. */
export type NotFoundKind =
  CodeWithStatus<404> extends infer C
    ? C extends `${infer Kind}.not-found`
      ? Kind
      : never
    : never;

export class ConflictException extends AppException {
  constructor(code: CodeWithStatus<409>, message: string) {
    super(code, message);
  }
}

export class TooManyRequestsException extends AppException {
  constructor(code: CodeWithStatus<429>, message: string, retryAfterSeconds?: number) {
    super(code, message);
    if (retryAfterSeconds !== undefined) this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

/** A storage agent could not be reached or failed on its side. */
export class AgentUnavailableException extends AppException {
  constructor(message: string, code: CodeWithStatus<503> = 'agent.unavailable') {
    super(code, message);
  }
}
