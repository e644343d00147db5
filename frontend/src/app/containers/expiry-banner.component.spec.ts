import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ExpirySettings } from '../core/api/models';
import { ExpiryTarget } from '../shared/expiry-actions.component';
import { ExpiryBannerComponent } from './expiry-banner.component';

const H = 3_600_000;
const SETTINGS: ExpirySettings = {
  container: { default: null, max: null },
  branch: { default: null, max: null },
  bookmark: { default: null, max: null },
  warningLead: '1d',
};
const inHours = (hours: number) => new Date(Date.now() + hours * H).toISOString();

function render(container: Partial<ExpiryTarget>) {
  TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
  const fixture = TestBed.createComponent(ExpiryBannerComponent);
  fixture.componentRef.setInput('container', {
    id: 'c1',
    name: 'qa-box',
    expiresAt: null,
    protected: false,
    expiryBlockedReason: null,
    ...container,
  });
  fixture.detectChanges();
  TestBed.inject(HttpTestingController).expectOne('/api/v1/settings/expiry').flush(SETTINGS);
  fixture.detectChanges();
  const host = fixture.nativeElement as HTMLElement;
  return { host, banner: () => host.querySelector('[role="status"]') };
}

describe('ExpiryBannerComponent', () => {
  it('warns within the warning lead and offers Extend', () => {
    const { banner } = render({ expiresAt: inHours(2) });
    expect(banner()?.textContent).toContain('This container expires in 2 h —');
    expect(banner()?.querySelector('button')?.textContent?.trim()).toBe('Extend');
  });

  it('stays away before the warning lead, and for protected or non-expiring containers', () => {
    expect(render({ expiresAt: inHours(30) }).banner()).toBeNull();
    TestBed.resetTestingModule();
    expect(render({ expiresAt: inHours(2), protected: true }).banner()).toBeNull();
    TestBed.resetTestingModule();
    expect(render({ expiresAt: null }).banner()).toBeNull();
  });

  it('says why an expired container was kept', () => {
    const { banner } = render({
      expiresAt: inHours(-1),
      expiryBlockedReason: 'bookmark “BUG-4711” of dev depends on it',
    });
    expect(banner()?.textContent).toContain(
      'This container expired 1 h ago but is kept: bookmark “BUG-4711” of dev depends on it',
    );
  });
});
