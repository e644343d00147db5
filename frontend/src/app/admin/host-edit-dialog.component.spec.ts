import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { Host } from '../core/api/models';
import { HostEditDialogComponent } from './host-edit-dialog.component';

const PINNED = Array.from({ length: 32 }, () => '3A').join(':');
const REPLACED = Array.from({ length: 32 }, () => 'B7').join(':');

const host: Host = {
  id: 'h1',
  name: 'zfs-1',
  url: 'https://10.0.0.5:7070',
  certificateFingerprint: PINNED,
  status: 'up',
  draining: false,
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

  it('starts from the current URL, never shows the stored token and names the pin', async () => {
    const { root, field } = await setup();
    expect(field('URL').value).toBe('https://10.0.0.5:7070');
    expect(field('Token').value).toBe('');
    expect(field('Token').type).toBe('password');
    expect(field('Certificate fingerprint').value).toBe('');
    expect(root.textContent).toContain(`keep the pinned certificate ${PINNED}`);
  });

  it('accepts only an https URL and a well-formed fingerprint', async () => {
    const { root, http, close, type, save } = await setup();
    for (const bad of ['zfs-1:7070', 'ftp://zfs-1:7070', 'http://zfs-1:7070', 'https://zfs 1']) {
      type('URL', bad);
      await save();
      expect(root.querySelector('mat-error')?.textContent).toContain('An https:// URL');
    }
    type('URL', 'https://zfs-1:7070');
    type('Certificate fingerprint', 'AB:CD');
    await save();
    expect(root.querySelector('mat-error')?.textContent).toContain('A SHA-256 fingerprint');
    type('Certificate fingerprint', '');
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
    expect(patch.request.body).toEqual({ url: 'https://10.0.0.5:7070', token: 'rotated-token' });
    patch.flush(host);
    expect(close).toHaveBeenCalledWith(host);
  });

  it('re-pins when a new fingerprint is typed', async () => {
    const { http, close, type, save } = await setup();
    type('Certificate fingerprint', REPLACED);
    await save();
    const patch = http.expectOne({ method: 'PATCH', url: '/api/v1/hosts/h1' });
    expect(patch.request.body).toEqual({ url: 'https://10.0.0.5:7070', fingerprint: REPLACED });
    const repinned = { ...host, certificateFingerprint: REPLACED };
    patch.flush(repinned);
    expect(close).toHaveBeenCalledWith(repinned);
  });

  it('shows the API’s refusal in the dialog and lets the admin try again', async () => {
    const { root, http, close, type, save, render } = await setup();
    type('Certificate fingerprint', REPLACED);
    await save();
    expect((root.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(true);
    expect(root.querySelector('[role=progressbar]')).not.toBeNull();
    const refusal = `the agent at https://10.0.0.5:7070 presents a different certificate: expected ${REPLACED}, got ${PINNED}`;
    http
      .expectOne({ method: 'PATCH', url: '/api/v1/hosts/h1' })
      .flush(
        { statusCode: 400, error: 'Bad Request', message: refusal },
        { status: 400, statusText: 'Bad Request' },
      );
    await render();
    expect(root.querySelector('[role=alert]')?.textContent?.trim()).toBe(
      `Could not save zfs-1: ${refusal}`,
    );
    expect(close).not.toHaveBeenCalled();
    expect((root.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(false);
    expect(root.querySelector('[role=progressbar]')).toBeNull();
  });
});
