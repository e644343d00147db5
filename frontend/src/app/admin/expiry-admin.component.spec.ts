import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ExpirySettings } from '../core/api/models';
import { OperationsService } from '../core/jobs/operations.service';
import { ExpiryPolicy } from '../shared/expiry-policy.service';
import { ExpiryAdminComponent } from './expiry-admin.component';

const SETTINGS: ExpirySettings = {
  container: { default: '7d', max: '30d' },
  branch: { default: null, max: null },
  bookmark: { default: '2w', max: null },
  warningLead: '1d',
};

function render() {
  TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(ExpiryAdminComponent);
  fixture.detectChanges();
  for (const request of http.match('/api/v1/settings/expiry')) request.flush(SETTINGS);
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  /** An input by its accessible name: its aria-label, else its field's label. */
  const field = (label: string) => {
    const input = [...host.querySelectorAll('mat-form-field input')].find(
      (i) =>
        (i.getAttribute('aria-label') ??
          i.closest('mat-form-field')?.querySelector('mat-label')?.textContent?.trim()) === label,
    ) as HTMLInputElement | undefined;
    if (!input) throw new Error(`no field ${label}`);
    return input;
  };
  const type = (label: string, value: string) => {
    const input = field(label);
    input.value = value;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('blur'));
    fixture.detectChanges();
  };
  const save = () => host.querySelector('button[type=submit]') as HTMLButtonElement;
  return { fixture, http, host, field, type, save };
}

describe('ExpiryAdminComponent', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('shows the policy and saves it with PUT /settings/expiry, empty meaning none', async () => {
    const { fixture, http, field, type, save } = render();
    expect(field('Containers: default').value).toBe('7d');
    expect(field('Containers: maximum').value).toBe('30d');
    expect(field('Branches: maximum').value).toBe('');
    expect(field('Warn owners before expiry').value).toBe('1d');
    type('Branches: default', '3d');
    type('Bookmarks: default', '');
    type('Warn owners before expiry', '12h');
    save().click();
    const put = http.expectOne('/api/v1/settings/expiry');
    expect(put.request.method).toBe('PUT');
    const saved: ExpirySettings = {
      container: { default: '7d', max: '30d' },
      branch: { default: '3d', max: null },
      bookmark: { default: null, max: null },
      warningLead: '12h',
    };
    expect(put.request.body).toEqual(saved);
    put.flush(saved);
    await fixture.whenStable();
    expect(TestBed.inject(OperationsService).operations().at(-1)?.message).toBe(
      'Expiry policy saved',
    );
    expect(TestBed.inject(ExpiryPolicy).settings()).toEqual(saved);
  });

  it('refuses text that is not a duration and a default longer than the maximum', () => {
    const { host, type, save } = render();
    type('Containers: maximum', 'a month');
    expect(host.textContent).toContain('A number and a unit');
    expect(save().disabled).toBe(true);
    type('Containers: maximum', '3d');
    expect(host.querySelector('[role="alert"]')?.textContent).toContain(
      'The default must not be longer than the maximum.',
    );
    expect(save().disabled).toBe(true);
    type('Containers: default', '2d');
    expect(save().disabled).toBe(false);
  });

  it('shows the server’s refusal', async () => {
    const { fixture, http, save } = render();
    save().click();
    http
      .expectOne('/api/v1/settings/expiry')
      .flush(
        { statusCode: 403, message: 'only admins may change settings' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(TestBed.inject(OperationsService).operations().at(-1)?.message).toBe(
      'Save expiry policy failed: only admins may change settings',
    );
  });
});
