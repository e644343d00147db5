import { HttpErrorResponse } from '@angular/common/http';

/** Turns whatever an API call failed with into one sentence a user can act on. */
export function errorMessage(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
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
