import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';
import { SignInComponent } from './sign-in.component';
import { SsoCallbackComponent } from './sso-callback.component';
import { isLocalPath } from './sso.service';

@Component({ template: 'containers page' })
class ContainersStub {}

const tokens = {
  accessToken: 'access-sso',
  expiresIn: 900,
  refreshToken: 'refresh-sso',
  refreshExpiresAt: '2030-01-01T00:00:00Z',
};
const me = {
  id: 'u1',
  username: 'alice',
  role: 'user',
  createdAt: '2026-01-01',
  disabled: false,
  sso: true,
};

describe('single sign-on in the UI', () => {
  let backend: HttpTestingController;
  let harness: RouterTestingHarness;

  beforeEach(async () => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'sign-in/sso', component: SsoCallbackComponent },
          { path: 'sign-in', component: SignInComponent },
          { path: 'containers', component: ContainersStub },
          { path: 'containers/:id', component: ContainersStub },
        ]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    backend = TestBed.inject(HttpTestingController);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => backend.verify());

  const text = () => (harness.routeNativeElement as HTMLElement).textContent ?? '';
  const ssoLink = () =>
    (harness.routeNativeElement as HTMLElement).querySelector<HTMLAnchorElement>('a.sso');

  it('offers the provider on the sign-in page, keeping where the user wanted to go', async () => {
    await harness.navigateByUrl('/sign-in?returnUrl=%2Fcontainers%2Fc1');
    backend.expectOne('/api/v1/auth/sso').flush({ enabled: true, name: 'Keycloak' });
    await vi.waitFor(() => {
      harness.detectChanges();
      expect(ssoLink()).not.toBeNull();
    });
    expect(ssoLink()!.textContent).toContain('Sign in with Keycloak');
    expect(ssoLink()!.getAttribute('href')).toBe(
      '/api/v1/auth/sso/start?returnUrl=%2Fcontainers%2Fc1',
    );
  });

  it('offers no button when single sign-on is off, and passes no foreign return URL on', async () => {
    await harness.navigateByUrl('/sign-in');
    backend.expectOne('/api/v1/auth/sso').flush({ enabled: false });
    await harness.fixture.whenStable();
    harness.detectChanges();
    expect(ssoLink()).toBeNull();
    expect(isLocalPath('/containers')).toBe(true);
    for (const foreign of ['//evil.example', '/\\evil.example', 'https://evil.example', '', null])
      expect(isLocalPath(foreign)).toBe(false);
  });

  it('exchanges the one-time code of the fragment for a session and goes on', async () => {
    await harness.navigateByUrl('/sign-in/sso#code=one-time&returnUrl=%2Fcontainers%2Fc1');
    const exchange = await vi.waitFor(() =>
      backend.expectOne({ method: 'POST', url: '/api/v1/auth/sso/session' }),
    );
    expect(exchange.request.body).toEqual({ code: 'one-time' });
    exchange.flush(tokens);
    const meCall = await vi.waitFor(() => backend.expectOne('/api/v1/me'));
    expect(meCall.request.headers.get('Authorization')).toBe('Bearer access-sso');
    meCall.flush(me);
    const router = TestBed.inject(Router);
    await vi.waitFor(() => expect(router.url).toBe('/containers/c1'));
    expect(TestBed.inject(AuthService).user()?.username).toBe('alice');
    expect(JSON.parse(localStorage.getItem('branchpoint.session') ?? '{}')).toEqual({
      accessToken: 'access-sso',
      refreshToken: 'refresh-sso',
    });
  });

  it('shows why when the code is refused, and a way back to the sign-in page', async () => {
    await harness.navigateByUrl('/sign-in/sso#code=used');
    const exchange = await vi.waitFor(() =>
      backend.expectOne({ method: 'POST', url: '/api/v1/auth/sso/session' }),
    );
    exchange.flush(
      {
        statusCode: 401,
        error: 'Unauthorized',
        code: 'sso.code-invalid',
        message: 'this sign-in code is unknown, used or expired; sign in again',
      },
      { status: 401, statusText: 'Unauthorized' },
    );
    await vi.waitFor(() => {
      harness.detectChanges();
      expect(text()).toContain('Sign-in failed');
    });
    expect(text()).toContain('unknown, used or expired');
    expect(TestBed.inject(AuthService).token()).toBeNull();
    expect(TestBed.inject(Router).url).toBe('/sign-in/sso#code=used');
  });

  it('says so when the link carries no code', async () => {
    await harness.navigateByUrl('/sign-in/sso');
    harness.detectChanges();
    expect(text()).toContain('has no code');
  });
});
