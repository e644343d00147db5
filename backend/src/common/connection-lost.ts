/** PostgreSQL error classes and socket errors that mean "the database went away", not "bad query". */
const CONNECTION_LOST =
  /^(57P0[123]|08\d\d\d|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT)$|Connection terminated|connection is closed|Client has encountered a connection error/;

/**
 * Whether an error (or what it wraps: TypeORM's driverError, a cause) says the metadata
 * database could not be reached, e.g. while it restarts.
 */
export function isConnectionLost(error: unknown): boolean {
  let current = error as Wrapping | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current.code === 'string' && CONNECTION_LOST.test(current.code)) return true;
    if (typeof current.message === 'string' && CONNECTION_LOST.test(current.message)) return true;
    current = (current.driverError ?? current.cause) as Wrapping | undefined;
  }
  return false;
}

interface Wrapping {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}
