import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { ExpirySettings } from '../core/api/models';
import { ExpiryPolicy } from '../shared/expiry-policy.service';
import { CreateContainerDialogComponent } from './create-container-dialog.component';

const SETTINGS: ExpirySettings = {
  container: { default: '7d', max: '30d' },
  branch: { default: null, max: null },
  bookmark: { default: null, max: null },
  warningLead: '1d',
};

function setup() {
  const close = vi.fn();
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: MatDialogRef, useValue: { close } },
      {
        provide: MAT_DIALOG_DATA,
        useValue: { templates: [{ id: 't1', name: 'shop', createdAt: '2026-01-01T00:00:00Z' }] },
      },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  TestBed.inject(ExpiryPolicy); // the policy is read before the dialog opens
  http.expectOne('/api/v1/settings/expiry').flush(SETTINGS);
  const fixture = TestBed.createComponent(CreateContainerDialogComponent);
  fixture.detectChanges();
  http.expectOne((r) => r.url === '/api/v1/bookmarks').flush([]);
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const input = (label: string) =>
    [...host.querySelectorAll('mat-form-field')]
      .find((f) => f.querySelector('mat-label')?.textContent?.trim() === label)
      ?.querySelector('input') as HTMLInputElement;
  const type = (label: string, value: string) => {
    input(label).value = value;
    input(label).dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };
  const submit = () => {
    (host.querySelector('button[type=submit]') as HTMLButtonElement).click();
    fixture.detectChanges();
  };
  return { host, close, input, type, submit, http, fixture };
}

describe('CreateContainerDialogComponent expiry', () => {
  it('starts from the policy’s default, shows the maximum and sends expiresIn', () => {
    const { host, close, input, type, submit } = setup();
    expect(input('Expires in').value).toBe('7d');
    expect(host.textContent).toContain('At most 30 days.');
    type('Name', 'qa-box');
    type('Expires in', '2w');
    submit();
    expect(close).toHaveBeenCalledWith({ name: 'qa-box', templateId: 't1', expiresIn: '2w' });
  });

  it('refuses a duration over the maximum and leaves an empty field to the policy', () => {
    const { host, close, type, submit } = setup();
    type('Name', 'qa-box');
    type('Expires in', '60d');
    submit();
    expect(close).not.toHaveBeenCalled();
    expect(host.textContent).toContain('At most 30 days.');
    expect(host.querySelector('mat-error')?.textContent).toContain('At most 30 days.');
    type('Expires in', '');
    submit();
    expect(close).toHaveBeenCalledWith({ name: 'qa-box', templateId: 't1' });
  });
});

describe('CreateContainerDialogComponent host', () => {
  const placement = (hosts: { id: string; name: string; status: string }[]) => ({
    pinnedHostIds: null,
    hosts,
  });

  it('offers the template’s hosts, best first, a down one disabled, and sends the chosen one', async () => {
    const { host, close, type, submit, http, fixture } = setup();
    http.expectOne('/api/v1/templates/t1/placement').flush(
      placement([
        { id: 'h2', name: 'local-2', status: 'up' },
        { id: 'h1', name: 'local', status: 'up' },
        { id: 'h3', name: 'far', status: 'down' },
      ]),
    );
    fixture.detectChanges();
    const trigger = host.querySelector(
      'mat-select[formcontrolname=hostId] .mat-mdc-select-trigger',
    ) as HTMLElement;
    expect(trigger.textContent).toContain('Automatic (now local-2)');
    trigger.click();
    fixture.detectChanges();
    await fixture.whenStable();
    const options = [...document.querySelectorAll('mat-option')] as HTMLElement[];
    expect(options.map((o) => o.textContent?.trim())).toEqual([
      'Automatic (now local-2)',
      'local-2',
      'local',
      'far (down)',
    ]);
    expect(options[3]!.getAttribute('aria-disabled')).toBe('true');
    options[2]!.click();
    type('Name', 'qa-box');
    submit();
    expect(close).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'qa-box', templateId: 't1', hostId: 'h1' }),
    );
  });

  it('offers no choice on one host, and leaves the choice to placement', () => {
    const { host, close, type, submit, http, fixture } = setup();
    http
      .expectOne('/api/v1/templates/t1/placement')
      .flush(placement([{ id: 'h1', name: 'local', status: 'up' }]));
    fixture.detectChanges();
    expect(host.querySelector('mat-select[formcontrolname=hostId]')).toBeNull();
    type('Name', 'qa-box');
    submit();
    expect(close.mock.calls[0]![0]).not.toHaveProperty('hostId');
  });
});
