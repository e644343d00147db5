import { HttpErrorResponse } from '@angular/common/http';
import { describe, expect, it } from 'vitest';
import { endsSession, errorCode, errorMessage } from './error-message';

const answer = (status: number, body: unknown) => new HttpErrorResponse({ status, error: body });

describe('errorMessage', () => {
  it("shows the server's message for a code the UI has no words of its own for", () => {
    const locked = answer(409, {
      code: 'container.locked',
      message: 'container c1 is locked by another user',
    });
    expect(errorCode(locked)).toBe('container.locked');
    expect(errorMessage(locked)).toBe('container c1 is locked by another user');
  });

  it('says what to do when a dependency is away, whatever the server words it as', () => {
    expect(errorMessage(answer(503, { code: 'agent.unavailable', message: 'ECONNREFUSED' }))).toBe(
      'The storage host is not answering right now. Try again in a moment.',
    );
    expect(errorMessage(answer(503, { code: 'metadata.unavailable', message: 'x' }))).toMatch(
      /database .* Try again/,
    );
  });

  it('ignores codes it does not know, and answers without a body', () => {
    expect(errorCode(answer(409, { code: 'no.such-code', message: 'm' }))).toBeUndefined();
    expect(errorMessage(answer(502, null))).toMatch(/^502/);
    expect(errorMessage(new HttpErrorResponse({ status: 0 }))).toBe(
      'The control plane cannot be reached.',
    );
  });
});

describe('endsSession', () => {
  it('follows the code, and the status only for answers without one', () => {
    expect(endsSession(answer(401, { code: 'auth.token-invalid', message: '' }))).toBe(true);
    expect(endsSession(answer(401, { code: 'auth.login-failed', message: '' }))).toBe(false);
    expect(endsSession(answer(401, 'from a proxy'))).toBe(true);
    expect(endsSession(answer(403, { code: 'access.owners-only', message: '' }))).toBe(false);
  });
});
