import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { User } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';
import { UsersAdminComponent } from './users-admin.component';

const user = (id: string, username: string, extra: Partial<User> = {}): User => ({
  id,
  username,
  role: 'user',
  createdAt: '2026-01-01T00:00:00Z',
  disabled: false,
  sso: false,
  ...extra,
});
const me = user('u0', 'admin', { role: 'admin' });
const alice = user('u1', 'alice');
const bob = user('u2', 'bob');

describe('UsersAdminComponent', () => {
  let http: HttpTestingController;
  let root: HTMLElement;
  let render: () => Promise<void>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    TestBed.inject(AuthService).user.set(me);
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(UsersAdminComponent);
    root = fixture.nativeElement as HTMLElement;
    render = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    http.expectOne('/api/v1/users').flush([me, alice, bob]);
    await render();
  });

  afterEach(() => TestBed.inject(MatDialog).closeAll());

  /** Opens a user's Manage menu and picks an item. */
  async function manage(username: string, item: string): Promise<void> {
    (root.querySelector(`[aria-label="Actions for ${username}"]`) as HTMLButtonElement).click();
    await render();
    const entry = [...document.querySelectorAll('[mat-menu-item]')].find((e) =>
      e.textContent?.includes(item),
    ) as HTMLButtonElement;
    entry.click();
    await render();
  }

  function dialogButton(text: string): HTMLButtonElement {
    return [...document.querySelectorAll('mat-dialog-container button')].find((b) =>
      b.textContent?.includes(text),
    ) as HTMLButtonElement;
  }

  it('offers no actions on one’s own account', () => {
    expect(root.querySelector('[aria-label="Actions for admin"]')).toBeNull();
    expect(root.querySelector('[aria-label="Actions for alice"]')).not.toBeNull();
  });

  it('disables a user after confirmation and shows them as disabled', async () => {
    await manage('alice', 'Disable');
    dialogButton('Disable').click();
    await render();
    await vi.waitFor(() =>
      http
        .expectOne({ method: 'POST', url: '/api/v1/users/u1/disable' })
        .flush({ ...alice, disabled: true }),
    );
    await vi.waitFor(() =>
      http.expectOne('/api/v1/users').flush([me, { ...alice, disabled: true }, bob]),
    );
    await render();
    expect(root.querySelector('tbody tr:nth-child(2)')?.textContent).toContain('disabled');
  });

  it('deletes a user, handing their containers to the user chosen', async () => {
    await manage('alice', 'Delete');
    const select = document.querySelector('mat-dialog-container mat-select') as HTMLElement;
    select.click();
    await render();
    const option = [...document.querySelectorAll('mat-option')].find((o) =>
      o.textContent?.includes('Hand over to bob'),
    ) as HTMLElement;
    option.click();
    await render();
    dialogButton('Delete user').click();
    await render();
    const deletion = await vi.waitFor(() =>
      http.expectOne((req) => req.method === 'DELETE' && req.url === '/api/v1/users/u1'),
    );
    expect(deletion.request.params.get('containers')).toBe('transfer');
    expect(deletion.request.params.get('to')).toBe('u2');
    deletion.flush({ keptContainerIds: [], deletions: [] });
    await vi.waitFor(() => http.expectOne('/api/v1/users').flush([me, bob]));
  });
});
