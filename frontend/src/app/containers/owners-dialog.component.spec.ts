import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { Observable, of, Subject } from 'rxjs';
import { AdminApi } from '../core/api/admin.api';
import { UserRef } from '../core/api/models';
import { aUser } from '../testing/fixtures';
import { OwnersDialogComponent } from './owners-dialog.component';

const USERS = [aUser({ id: 'u-qa', username: 'qa' }), aUser({ id: 'u-dev', username: 'dev' })];

async function setup(owners: UserRef[], users: Observable<UserRef[]> = of(USERS)) {
  const close = vi.fn();
  TestBed.configureTestingModule({
    providers: [
      { provide: MatDialogRef, useValue: { close } },
      { provide: MAT_DIALOG_DATA, useValue: { containerName: 'qa-box', owners } },
      {
        provide: AdminApi,
        useValue: { users: () => users },
      },
    ],
  });
  const fixture = TestBed.createComponent(OwnersDialogComponent);
  fixture.detectChanges();
  await fixture.whenStable();
  const host = fixture.nativeElement as HTMLElement;
  const button = (name: string) =>
    [...host.querySelectorAll('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name,
    );
  return { fixture, host, close, button };
}

describe('OwnersDialogComponent', () => {
  it('keeps the last owner', async () => {
    const { button } = await setup([{ id: 'u-qa', username: 'qa' }]);
    expect(button('Remove qa')?.disabled).toBe(true);
  });

  it('removes one of several owners', async () => {
    const { button, close } = await setup([
      { id: 'u-qa', username: 'qa' },
      { id: 'u-dev', username: 'dev' },
    ]);
    button('Remove dev')?.click();
    expect(close).toHaveBeenCalledWith({ remove: { id: 'u-dev', username: 'dev' } });
  });

  it('offers the list of users once it arrived (a select without options would not open)', async () => {
    const users = new Subject<UserRef[]>();
    const { fixture, host } = await setup([{ id: 'u-qa', username: 'qa' }], users);
    // ngModel applies a disabled state a tick later, then the select shows it.
    const settled = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
      return host.querySelector('mat-select')?.getAttribute('aria-disabled');
    };
    expect(await settled()).toBe('true');
    users.next(USERS);
    expect(await settled()).toBe('false');
  });

  it('adds one of the users who are not owners yet', async () => {
    const { fixture, button, close } = await setup([{ id: 'u-qa', username: 'qa' }]);
    const component = fixture.componentInstance as unknown as {
      candidates: () => UserRef[];
      pick: { set(user: UserRef): void };
    };
    expect(component.candidates()).toEqual([{ id: 'u-dev', username: 'dev' }]);
    expect(button('Add')?.disabled).toBe(true);
    component.pick.set({ id: 'u-dev', username: 'dev' });
    fixture.detectChanges();
    button('Add')?.click();
    expect(close).toHaveBeenCalledWith({ add: { id: 'u-dev', username: 'dev' } });
  });
});
