import { HttpErrorResponse } from '@angular/common/http';
import { isErrorCode, type ErrorCode } from '@branchpoint/contracts';

/** The stable code of a control-plane error answer; undefined for anything else. */
export function errorCode(error: unknown): ErrorCode | undefined {
  if (!(error instanceof HttpErrorResponse)) return undefined;
  const body: unknown = error.error;
  const code = body && typeof body === 'object' && 'code' in body ? body.code : undefined;
  return isErrorCode(code) ? code : undefined;
}

/** Whether the answer says the session's token is missing, expired or revoked. */
export function endsSession(error: unknown): boolean {
  const code = errorCode(error);
  if (code) return code === 'auth.token-missing' || code === 'auth.token-invalid';
  return error instanceof HttpErrorResponse && error.status === 401;
}

/** Where the UI knows better words than the server's, or what to do next. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  'auth.token-missing': 'Your session has ended. Sign in again.',
  'auth.token-invalid': 'Your session has ended. Sign in again.',
  'agent.unavailable': 'The storage host is not answering right now. Try again in a moment.',
  'metadata.unavailable':
    'The control plane cannot reach its database right now. Try again in a moment.',
};

/** Turns whatever an API call failed with into one sentence a user can act on. */
export function errorMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const known = MESSAGES[errorCode(error) as ErrorCode];
    if (known) return known;
    const body: unknown = error.error;
    if (body && typeof body === 'object' && 'message' in body) {
      const message = (body as { message: unknown }).message;
      if (Array.isArray(message)) return message.join('; ');
      if (typeof message === 'string' && message) return message;
    }
    if (error.status === 0) return 'The control plane cannot be reached.';
    return `${error.status} ${error.statusText || 'error'}`.trim();
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
