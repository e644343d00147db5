import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AuthService } from '../core/auth/auth.service';
import { AccountComponent } from './account.component';

describe('AccountComponent', () => {
  let http: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(AccountComponent);
    root = fixture.nativeElement as HTMLElement;
    render = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    http.expectOne('/api/v1/tokens').flush([
      {
        id: 't1',
        name: 'ci',
        createdAt: '2026-01-01T00:00:00Z',
        lastUsedAt: null,
        expiresAt: '2026-04-01T00:00:00Z',
      },
    ]);
    await render();
  });

  function type(name: string, value: string): void {
    const input = root.querySelector(`input[formcontrolname=${name}]`) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  it('offers no password change to a user of single sign-on', async () => {
    expect(root.querySelector('input[formcontrolname=currentPassword]')).not.toBeNull();
    TestBed.inject(AuthService).user.set({
      id: 'u1',
      username: 'sso-user',
      role: 'user',
      createdAt: '2026-01-01T00:00:00Z',
      disabled: false,
      sso: true,
    });
    await render();
    expect(root.querySelector('input[formcontrolname=currentPassword]')).toBeNull();
    expect(root.textContent).toContain('single sign-on');
  });

  it('lists tokens with their last use and expiry', () => {
    const row = root.querySelector('tbody tr')?.textContent ?? '';
    expect(row).toContain('ci');
    expect(row).toContain('never');
    expect(row).toContain('2026');
  });

  it('changes the password with the current one, and refuses short ones before asking', async () => {
    const submit = root.querySelector('form button[type=submit]') as HTMLButtonElement;
    type('currentPassword', 'old-password-1');
    type('newPassword', 'short');
    await render();
    expect(submit.disabled).toBe(true);
    type('newPassword', 'a-much-longer-secret');
    await render();
    submit.click();
    const change = await vi.waitFor(() =>
      http.expectOne({ method: 'PUT', url: '/api/v1/me/password' }),
    );
    expect(change.request.body).toEqual({
      currentPassword: 'old-password-1',
      newPassword: 'a-much-longer-secret',
    });
    change.flush(null, { status: 204, statusText: 'No Content' });
  });

  it('creates a token with an expiry and shows it once', async () => {
    type('name', 'pipeline');
    type('expiresInDays', '30');
    await render();
    const buttons = [...root.querySelectorAll('button[type=submit]')] as HTMLButtonElement[];
    buttons.find((b) => b.textContent?.includes('Create token'))!.click();
    const create = await vi.waitFor(() =>
      http.expectOne({ method: 'POST', url: '/api/v1/tokens' }),
    );
    expect(create.request.body).toEqual({ name: 'pipeline', expiresInDays: 30 });
    create.flush({
      id: 't2',
      name: 'pipeline',
      createdAt: '2026-01-02T00:00:00Z',
      lastUsedAt: null,
      expiresAt: '2026-02-01T00:00:00Z',
      token: 'bpt_secret',
    });
    await vi.waitFor(() => http.expectOne('/api/v1/tokens').flush([]));
    await render();
    expect(root.querySelector('[role=status]')?.textContent).toContain('bpt_secret');
  });

  it('shows how to install the CLI from this server and sign in to it', () => {
    const lines = [...root.querySelectorAll('.cli-line code')].map((code) => code.textContent);
    expect(lines).toEqual([
      `npm install -g ${location.origin}/api/v1/cli/branchpoint.tgz`,
      `branchpoint login --url ${location.origin} --username <you>`,
    ]);
  });
});
