/** The body of every control-plane error answer. */
export interface ErrorBody {
  statusCode: number;
  /** The HTTP reason phrase, e.g. "Conflict". */
  error: string;
  /** Names the problem in words a user can act on. */
  message: string;
}

export const HTTP_ERROR_NAMES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};
