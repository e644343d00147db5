import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ExpirySettings } from '../core/api/models';
import { Expirable } from './duration';
import { ExpiryActionsComponent, ExpiryTarget } from './expiry-actions.component';
import { ExpiryLabelComponent } from './expiry-label.component';
import { OperationsPanelComponent } from './operations-panel.component';

const H = 3_600_000;
const SETTINGS: ExpirySettings = {
  container: { default: '7d', max: '30d' },
  branch: { default: null, max: null },
  bookmark: { default: null, max: null },
  warningLead: '1d',
};

/** The actions as a page uses them: the label follows what the server answered. */
@Component({
  imports: [ExpiryActionsComponent, ExpiryLabelComponent, OperationsPanelComponent],
  template: `
    <bp-expiry-label [item]="item()" />
    <bp-expiry-actions kind="container" [item]="item()" (changed)="item.set(merge($event))" />
    <bp-operations-panel />
  `,
})
class HostComponent {
  readonly item = signal<ExpiryTarget>({
    id: 'c1',
    name: 'qa-box',
    expiresAt: new Date(Date.now() + 5 * H).toISOString(),
    protected: false,
  });
  merge(answer: Expirable): ExpiryTarget {
    return { ...this.item(), ...answer };
  }
}

describe('ExpiryActionsComponent', () => {
  let http: HttpTestingController;

  function render(settings: ExpirySettings = SETTINGS) {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    http.expectOne('/api/v1/settings/expiry').flush(settings);
    fixture.detectChanges();
    const host = fixture.nativeElement as HTMLElement;
    const overlay = () => document.querySelector('.cdk-overlay-container') as HTMLElement;
    const button = (root: HTMLElement, name: string) =>
      [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name) as
        HTMLButtonElement | undefined;
    const settle = async () => {
      await fixture.whenStable();
      fixture.detectChanges();
    };
    return { fixture, host, overlay, button, settle };
  }

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    http.verify();
  });

  it('extends with one PATCH of expiresIn and shows the new expiry', async () => {
    const { host, overlay, button, settle } = render();
    expect(host.textContent).toContain('expires in 5 h');
    button(host, 'Extend')?.click();
    await settle();
    expect(
      [...overlay().querySelectorAll('[mat-menu-item]')].map((b) => b.textContent?.trim()),
    ).toEqual(['2 hours', '1 day', '7 days', 'Custom…']);
    button(overlay(), '1 day')?.click();
    const patch = http.expectOne('/api/v1/containers/c1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ expiresIn: '1d' });
    patch.flush({ id: 'c1', expiresAt: new Date(Date.now() + 24 * H).toISOString() });
    await settle();
    expect(host.textContent).toContain('expires in 24 h');
    expect(host.querySelector('[role="status"]')?.textContent).toContain(
      'Container “qa-box” now expires in 1 day',
    );
  });

  it('shows the server’s message when the extension is over the maximum', async () => {
    const { host, overlay, button, settle } = render();
    button(host, 'Extend')?.click();
    await settle();
    button(overlay(), '7 days')?.click();
    http
      .expectOne('/api/v1/containers/c1')
      .flush(
        { statusCode: 400, message: 'expiresIn exceeds the maximum of 3d for containers' },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle();
    expect(host.querySelector('[role="alert"]')?.textContent).toContain(
      'Extend failed: expiresIn exceeds the maximum of 3d for containers',
    );
    expect(host.textContent).toContain('expires in 5 h');
  });

  it('extends by a custom duration, refusing text that is not one', async () => {
    const { host, overlay, button, settle } = render();
    button(host, 'Extend')?.click();
    await settle();
    button(overlay(), 'Custom…')?.click();
    await settle();
    const input = overlay().querySelector('mat-dialog-container input') as HTMLInputElement;
    expect(overlay().textContent).toContain('At most 30 days.');
    input.value = 'two days';
    input.dispatchEvent(new Event('input'));
    button(overlay(), 'Extend')?.click();
    await settle();
    expect(overlay().textContent).toContain('A number and a unit');
    input.value = '3d';
    input.dispatchEvent(new Event('input'));
    button(overlay(), 'Extend')?.click();
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 200)); // the dialog's close animation
    expect(http.expectOne('/api/v1/containers/c1').request.body).toEqual({ expiresIn: '3d' });
  });

  it('offers neither extensions over the maximum nor Protect under a maximum to non-admins', async () => {
    const { host, overlay, button, settle } = render({
      ...SETTINGS,
      container: { default: '1d', max: '2d' },
    });
    expect(button(host, 'Protect')?.disabled).toBe(true);
    button(host, 'Extend')?.click();
    await settle();
    expect(button(overlay(), '1 day')?.disabled).toBe(false);
    expect(button(overlay(), '7 days')?.disabled).toBe(true);
  });

  it('protects and unprotects with a PATCH of protected', async () => {
    const { host, button, settle } = render({
      ...SETTINGS,
      container: { default: '7d', max: null },
    });
    button(host, 'Protect')?.click();
    const protect = http.expectOne('/api/v1/containers/c1');
    expect(protect.request.body).toEqual({ protected: true });
    protect.flush({ id: 'c1', expiresAt: null, protected: true });
    await settle();
    expect(host.textContent).toContain('protected');
    expect(button(host, 'Extend')?.disabled).toBe(true);
    button(host, 'Unprotect')?.click();
    expect(http.expectOne('/api/v1/containers/c1').request.body).toEqual({ protected: false });
  });
});
