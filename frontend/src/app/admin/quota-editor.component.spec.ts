import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { QuotaLimits, UserQuotas } from '../core/api/quotas.api';
import { OperationsService } from '../core/jobs/operations.service';
import { QuotaEditorComponent } from './quota-editor.component';

const DEFAULTS: QuotaLimits = {
  containers: 5,
  runningServers: null,
  branchesPerContainer: 10,
  bookmarks: 20,
};

function render(userId: string | null) {
  TestBed.configureTestingModule({
    providers: [provideHttpClient(), provideHttpClientTesting()],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(QuotaEditorComponent);
  if (userId) {
    fixture.componentRef.setInput('userId', userId);
    fixture.componentRef.setInput('username', 'alice');
  }
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  const field = (label: string) => {
    const input = [...host.querySelectorAll('mat-form-field')]
      .find((f) => f.querySelector('mat-label')?.textContent?.trim() === label)
      ?.querySelector('input');
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

describe('QuotaEditorComponent', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('edits the default: empty means no limit, saved with PUT /settings/quotas', async () => {
    const { fixture, http, field, type, save } = render(null);
    http.expectOne('/api/v1/settings/quotas').flush(DEFAULTS);
    fixture.detectChanges();
    expect(field('Containers').value).toBe('5');
    expect(field('Running servers').value).toBe('');
    expect(field('Running servers').placeholder).toBe('no limit');
    type('Containers', '3');
    type('Bookmarks', '');
    save().click();
    const put = http.expectOne('/api/v1/settings/quotas');
    expect(put.request.method).toBe('PUT');
    const saved = { ...DEFAULTS, containers: 3, bookmarks: null };
    expect(put.request.body).toEqual(saved);
    put.flush(saved);
    await fixture.whenStable();
    expect(TestBed.inject(OperationsService).operations().at(-1)?.message).toBe(
      'Default quotas saved',
    );
  });

  it("edits one user's overrides; an empty field shows the default it follows", async () => {
    const { fixture, http, host, field, type, save } = render('u-1');
    const quotas: UserQuotas = {
      defaults: DEFAULTS,
      overrides: {
        containers: 8,
        runningServers: null,
        branchesPerContainer: null,
        bookmarks: null,
      },
      effective: { ...DEFAULTS, containers: 8 },
    };
    http.expectOne('/api/v1/users/u-1/quotas').flush(quotas);
    fixture.detectChanges();
    expect(host.querySelector('h2')?.textContent).toContain('Quotas of alice');
    expect(field('Containers').value).toBe('8');
    expect(field('Bookmarks').placeholder).toBe('default: 20');
    expect(field('Running servers').placeholder).toBe('default: no limit');
    type('Running servers', '2');
    save().click();
    const put = http.expectOne('/api/v1/users/u-1/quotas');
    expect(put.request.method).toBe('PUT');
    expect(put.request.body).toEqual({ ...quotas.overrides, runningServers: 2 });
    put.flush(quotas);
    await fixture.whenStable();
  });

  it('refuses what is not a whole number from 0', () => {
    const { fixture, http, type, save } = render(null);
    http.expectOne('/api/v1/settings/quotas').flush(DEFAULTS);
    fixture.detectChanges();
    type('Containers', '-1');
    expect(save().disabled).toBe(true);
    type('Containers', '2.5');
    expect(save().disabled).toBe(true);
    type('Containers', '7');
    expect(save().disabled).toBe(false);
  });
});
