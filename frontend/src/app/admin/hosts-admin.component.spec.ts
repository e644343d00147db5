import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { Host } from '../core/api/models';
import { HostsAdminComponent } from './hosts-admin.component';

const local: Host = {
  id: 'h1',
  name: 'local',
  url: 'http://127.0.0.1:7070',
  status: 'down',
  capacity: null,
  lastError: 'connect ECONNREFUSED',
  checkedAt: '2026-01-01T00:00:00Z',
};

describe('HostsAdminComponent', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('edits a host in a dialog and lists it again as the control plane checked it', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(HostsAdminComponent);
    const host = fixture.nativeElement as HTMLElement;
    const render = async () => {
      fixture.detectChanges();
      await fixture.whenStable();
      fixture.detectChanges();
    };
    http.expectOne('/api/v1/hosts').flush([local]);
    await render();

    (host.querySelector('[aria-label="Edit local"]') as HTMLButtonElement).click();
    await render();
    const dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    expect(dialog.querySelector('h2')?.textContent).toContain('Edit host local');
    const url = dialog.querySelector('input[formcontrolname=url]') as HTMLInputElement;
    url.value = 'http://127.0.0.1:7071';
    url.dispatchEvent(new Event('input'));
    (dialog.querySelector('button[type=submit]') as HTMLButtonElement).click();

    const moved = {
      ...local,
      url: 'http://127.0.0.1:7071',
      status: 'up' as const,
      lastError: null,
    };
    http.expectOne({ method: 'PATCH', url: '/api/v1/hosts/h1' }).flush(moved);
    await render();
    await vi.waitFor(() => http.expectOne({ method: 'GET', url: '/api/v1/hosts' }).flush([moved]));
    await render();
    expect(host.textContent).toContain('http://127.0.0.1:7071');
    expect(host.textContent).not.toContain('ECONNREFUSED');
  });
});
