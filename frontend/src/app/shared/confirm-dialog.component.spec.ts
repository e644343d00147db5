import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { firstValueFrom } from 'rxjs';
import { confirmAction } from './confirm-dialog.component';

describe('confirmAction', () => {
  function open() {
    const dialog = TestBed.inject(MatDialog);
    const answer = firstValueFrom(
      confirmAction(dialog, { title: 'Delete box?', message: 'Gone for good.', confirm: 'Delete' }),
    );
    TestBed.tick();
    const pane = document.querySelector('.cdk-overlay-container') as HTMLElement;
    const button = (name: string) =>
      [...pane.querySelectorAll('button')].find(
        (b) => b.textContent?.trim() === name,
      ) as HTMLButtonElement;
    return { answer, pane, button };
  }

  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('asks with the title and message and resolves true on the confirming button', async () => {
    const { answer, pane, button } = open();
    expect(pane.textContent).toContain('Delete box?');
    expect(pane.textContent).toContain('Gone for good.');
    button('Delete').click();
    TestBed.tick();
    expect(await answer).toBe(true);
  });

  it('resolves false on Cancel', async () => {
    const { answer, button } = open();
    button('Cancel').click();
    TestBed.tick();
    expect(await answer).toBe(false);
  });
});
