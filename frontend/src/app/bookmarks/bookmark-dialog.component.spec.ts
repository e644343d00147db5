import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { aBookmark } from '../testing/fixtures';
import { BookmarkDialogComponent, BookmarkDialogData, toFields } from './bookmark-dialog.component';

function setup(data: BookmarkDialogData) {
  const close = vi.fn();
  TestBed.configureTestingModule({
    providers: [
      { provide: MatDialogRef, useValue: { close } },
      { provide: MAT_DIALOG_DATA, useValue: data },
    ],
  });
  const fixture = TestBed.createComponent(BookmarkDialogComponent);
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const field = (label: string) => {
    const formField = [...host.querySelectorAll('mat-form-field')].find(
      (f) => f.querySelector('mat-label')?.textContent?.trim() === label,
    );
    const input = formField?.querySelector('input, textarea') as HTMLInputElement | null;
    if (!input) throw new Error(`no field ${label}`);
    return input;
  };
  const type = (label: string, value: string) => {
    const input = field(label);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const submit = () => {
    (host.querySelector('button[type=submit]') as HTMLButtonElement).click();
    fixture.detectChanges();
  };
  return { fixture, host, close, field, type, submit };
}

describe('BookmarkDialogComponent', () => {
  it('returns the name, description, tags, bug reference and expiry it was given', () => {
    const { host, close, type, submit } = setup({ branchName: 'default' });
    expect(host.querySelector('h2')?.textContent).toContain('Bookmark default');
    type('Name', '  BUG-4711 data ');
    type('Description', 'orders with negative totals');
    type('Tags', 'qa, edge-case, qa');
    type('Bug reference', 'https://tracker.example/browse/BUG-4711');
    type('Expires on', '2026-12-31');
    submit();
    expect(close).toHaveBeenCalledWith({
      name: 'BUG-4711 data',
      description: 'orders with negative totals',
      tags: ['qa', 'edge-case'],
      bugRef: 'https://tracker.example/browse/BUG-4711',
      expiresAt: new Date('2026-12-31T23:59:59').toISOString(),
    });
  });

  it('does not close without a name and says why', () => {
    const { host, close, type, submit, fixture } = setup({});
    type('Name', '   ');
    submit();
    fixture.detectChanges();
    expect(close).not.toHaveBeenCalled();
    type('Name', '');
    submit();
    expect(close).not.toHaveBeenCalled();
    expect(host.textContent).toContain('Give the bookmark a name.');
  });

  it('edits an existing bookmark with its values filled in', () => {
    const { field, close, submit } = setup({
      bookmark: aBookmark({
        id: 'b1',
        name: 'after edge case data',
        tags: ['qa'],
        bugRef: 'BUG-1',
      }),
    });
    expect(field('Name').value).toBe('after edge case data');
    expect(field('Tags').value).toBe('qa');
    submit();
    expect(close).toHaveBeenCalledWith({
      name: 'after edge case data',
      tags: ['qa'],
      bugRef: 'BUG-1',
    });
  });
});

describe('toFields', () => {
  it('leaves out empty optional fields', () => {
    expect(
      toFields({ name: 'x', description: ' ', tags: ' , ', bugRef: '', expiresOn: '' }),
    ).toEqual({ name: 'x' });
  });
});
