import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { Host } from '../core/api/models';
import { HostEditDialogComponent } from './host-edit-dialog.component';

const host: Host = {
  id: 'h1',
  name: 'zfs-1',
  url: 'http://10.0.0.5:7070',
  status: 'up',
  capacity: null,
  lastError: null,
  checkedAt: '2026-01-01T00:00:00Z',
};

async function setup() {
  const close = vi.fn();
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: MatDialogRef, useValue: { close } },
      { provide: MAT_DIALOG_DATA, useValue: host },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(HostEditDialogComponent);
  fixture.detectChanges();
  await fixture.whenStable();
  const root = fixture.nativeElement as HTMLElement;
  const field = (label: string) => {
    const formField = [...root.querySelectorAll('mat-form-field')].find(
      (f) => f.querySelector('mat-label')?.textContent?.trim() === label,
    );
    return formField?.querySelector('input') as HTMLInputElement;
  };
  const type = (label: string, value: string) => {
    const input = field(label);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  };
  const save = async () => {
    (root.querySelector('button[type=submit]') as HTMLButtonElement).click();
    fixture.detectChanges();
    await fixture.whenStable();
  };
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  return { root, http, close, field, type, save, render };
}

describe('HostEditDialogComponent', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('starts from the current URL and never shows the stored token', async () => {
    const { field } = await setup();
    expect(field('URL').value).toBe('http://10.0.0.5:7070');
    expect(field('Token').value).toBe('');
    expect(field('Token').type).toBe('password');
  });

  it('accepts only an http(s) URL', async () => {
    const { root, http, close, type, save } = await setup();
    for (const bad of ['zfs-1:7070', 'ftp://zfs-1:7070', 'http://zfs 1']) {
      type('URL', bad);
      await save();
      expect(root.querySelector('mat-error')?.textContent).toContain('An http:// or https:// URL');
    }
    type('URL', '');
    await save();
    expect(root.querySelector('mat-error')?.textContent).toContain("Give the storage agent's URL");
    http.expectNone({ method: 'PATCH' });
    expect(close).not.toHaveBeenCalled();
  });

  it('leaves an empty token out of the PATCH, and closes with the host as checked again', async () => {
    const { http, close, type, save } = await setup();
    type('URL', 'https://zfs-1.internal:7070');
    await save();
    const patch = http.expectOne({ method: 'PATCH', url: '/api/v1/hosts/h1' });
    expect(patch.request.body).toEqual({ url: 'https://zfs-1.internal:7070' });
    const checked = { ...host, url: 'https://zfs-1.internal:7070', status: 'down' as const };
    patch.flush(checked);
    expect(close).toHaveBeenCalledWith(checked);
  });

  it('sends a new token when one is typed', async () => {
    const { http, close, type, save } = await setup();
    type('Token', 'rotated-token');
    await save();
    const patch = http.expectOne({ method: 'PATCH', url: '/api/v1/hosts/h1' });
    expect(patch.request.body).toEqual({ url: 'http://10.0.0.5:7070', token: 'rotated-token' });
    patch.flush(host);
    expect(close).toHaveBeenCalledWith(host);
  });

  it('shows the API’s refusal in the dialog and lets the admin try again', async () => {
    const { root, http, close, type, save, render } = await setup();
    type('URL', 'http://zfs-1:7070');
    await save();
    expect((root.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(true);
    expect(root.querySelector('[role=progressbar]')).not.toBeNull();
    http
      .expectOne({ method: 'PATCH', url: '/api/v1/hosts/h1' })
      .flush(
        { statusCode: 400, error: 'Bad Request', message: ['url must be an http(s) URL'] },
        { status: 400, statusText: 'Bad Request' },
      );
    await render();
    expect(root.querySelector('[role=alert]')?.textContent?.trim()).toBe(
      'Could not save zfs-1: url must be an http(s) URL',
    );
    expect(close).not.toHaveBeenCalled();
    expect((root.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(false);
    expect(root.querySelector('[role=progressbar]')).toBeNull();
  });
});
