import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { api } from '@branchpoint/api-client';
import { firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpApi } from '../api/http-api';
import { authInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';

const expired = {
  statusCode: 401,
  error: 'Unauthorized',
  code: 'auth.token-invalid',
  message: 'x',
};
const tokens = (n: number) => ({
  accessToken: `access-${n}`,
  expiresIn: 900,
  refreshToken: `refresh-${n}`,
  refreshExpiresAt: '2030-01-01T00:00:00Z',
});

describe('authInterceptor', () => {
  let http: HttpApi;
  let auth: AuthService;
  let backend: HttpTestingController;

  beforeEach(() => {
    localStorage.setItem(
      'branchpoint.session',
      JSON.stringify({ accessToken: 'access-1', refreshToken: 'refresh-1' }),
    );
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'sign-in', children: [] }]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpApi);
    auth = TestBed.inject(AuthService);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => localStorage.clear());

  it('renews an expired access token once with the refresh token and sends the call again', async () => {
    const listed = firstValueFrom(http.send(api.containers.list()));
    const first = backend.expectOne('/api/v1/containers');
    expect(first.request.headers.get('Authorization')).toBe('Bearer access-1');
    first.flush(expired, { status: 401, statusText: 'Unauthorized' });

    const refresh = backend.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.body).toEqual({ refreshToken: 'refresh-1' });
    refresh.flush(tokens(2));
    await Promise.resolve();
    const retried = await waitFor(() => backend.expectOne('/api/v1/containers'));
    expect(retried.request.headers.get('Authorization')).toBe('Bearer access-2');
    retried.flush([]);
    expect(await listed).toEqual([]);
    expect(auth.token()).toBe('access-2');
    expect(JSON.parse(localStorage.getItem('branchpoint.session')!)).toEqual({
      accessToken: 'access-2',
      refreshToken: 'refresh-2',
    });
  });

  it('ends the session when the refresh token is refused too', async () => {
    const listed = firstValueFrom(http.send(api.containers.list()));
    backend.expectOne('/api/v1/containers').flush(expired, { status: 401, statusText: 'x' });
    backend
      .expectOne('/api/v1/auth/refresh')
      .flush(
        { statusCode: 401, error: 'Unauthorized', code: 'auth.refresh-invalid', message: 'x' },
        { status: 401, statusText: 'x' },
      );
    await expect(listed).rejects.toBeTruthy();
    expect(auth.token()).toBeNull();
    expect(localStorage.getItem('branchpoint.session')).toBeNull();
  });

  it('does not try to renew on a failed sign-in', async () => {
    const signIn = firstValueFrom(http.send(api.auth.login({ username: 'a', password: 'b' })));
    backend
      .expectOne('/api/v1/auth/login')
      .flush(
        { statusCode: 401, error: 'Unauthorized', code: 'auth.login-failed', message: 'x' },
        { status: 401, statusText: 'x' },
      );
    await expect(signIn).rejects.toBeTruthy();
    backend.expectNone('/api/v1/auth/refresh');
  });
});

/** The retry is sent after the refresh answer's promise settles. */
async function waitFor<T>(find: () => T): Promise<T> {
  for (let i = 0; i < 50; i++) {
    try {
      return find();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  return find();
}
