import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { of } from 'rxjs';
import { AdminApi } from '../core/api/admin.api';
import { aBookmark, aUser } from '../testing/fixtures';
import { AuthService } from '../core/auth/auth.service';
import { ShareDialogComponent } from './share-dialog.component';

const users = [
  aUser({ id: 'u-qa', username: 'qa' }),
  aUser({ id: 'u-dev', username: 'dev' }),
  aUser({ id: 'u-ops', username: 'ops', role: 'admin' }),
];
const bookmark = aBookmark({ id: 'b1', name: 'BUG-4711 data', creatorId: 'u-qa' });

async function setup() {
  const close = vi.fn();
  TestBed.configureTestingModule({
    providers: [
      { provide: MatDialogRef, useValue: { close } },
      { provide: MAT_DIALOG_DATA, useValue: { bookmark } },
      { provide: AdminApi, useValue: { users: () => of(users) } },
      { provide: AuthService, useValue: { user: signal(users[0]) } },
    ],
  });
  const fixture = TestBed.createComponent(ShareDialogComponent);
  fixture.detectChanges();
  await fixture.whenStable();
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const shareButton = () =>
    [...host.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Share',
    ) as HTMLButtonElement;
  return { fixture, host, close, shareButton };
}

describe('ShareDialogComponent', () => {
  it('lists the other users, not me, and shares with the ones picked', async () => {
    const { fixture, host, close, shareButton } = await setup();
    const boxes = [...host.querySelectorAll('mat-checkbox')];
    expect(boxes.map((b) => b.textContent?.trim())).toEqual(['dev', 'ops']);
    expect(shareButton().disabled).toBe(true);
    (boxes[0]?.querySelector('input') as HTMLInputElement).click();
    fixture.detectChanges();
    expect(shareButton().disabled).toBe(false);
    shareButton().click();
    expect(close).toHaveBeenCalledWith({ userIds: ['u-dev'] });
  });

  it('shares with everyone', async () => {
    const { fixture, host, close, shareButton } = await setup();
    const everyone = [...host.querySelectorAll('mat-radio-button')].find((r) =>
      r.textContent?.includes('Everyone'),
    );
    (everyone?.querySelector('input') as HTMLInputElement).click();
    fixture.detectChanges();
    await fixture.whenStable();
    expect(host.querySelectorAll('mat-checkbox').length).toBe(0);
    shareButton().click();
    expect(close).toHaveBeenCalledWith({ everyone: true });
  });

  it('offers to stop sharing a shared bookmark', async () => {
    TestBed.overrideProvider(MAT_DIALOG_DATA, {
      useValue: { bookmark: { ...bookmark, visibility: 'everyone' } },
    });
    const { host, shareButton } = await setup();
    expect(shareButton()).toBeDefined();
    const stop = [...host.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Stop sharing',
    );
    expect(stop).toBeDefined();
  });

  it('does not offer to stop sharing a private bookmark', async () => {
    const { host } = await setup();
    expect(
      [...host.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Stop sharing'),
    ).toBe(false);
  });
});
