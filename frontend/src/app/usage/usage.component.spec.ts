import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Usage } from '../core/api/models';
import { UsageComponent } from './usage.component';

const zero = { logicalBytes: 0, physicalBytes: 0, savingsRatio: 0 };
const USAGE: Usage = {
  total: { id: 'total', name: 'total', ...zero },
  users: [],
  templates: [],
  containers: [],
  unavailableHosts: [],
  quotas: [
    { kind: 'containers', used: 2, limit: 3 },
    { kind: 'runningServers', used: 1, limit: 1 },
    { kind: 'branchesPerContainer', used: 2, limit: null },
    { kind: 'bookmarks', used: 0, limit: 0 },
  ],
};

function render(usage: Usage) {
  TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(UsageComponent);
  fixture.detectChanges();
  http.expectOne('/api/v1/usage').flush(usage);
  fixture.detectChanges();
  return { fixture, http, host: fixture.nativeElement as HTMLElement };
}

describe('UsageComponent', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it("shows the caller's use of each quota against its limit, marking those that are full", () => {
    const { host } = render(USAGE);
    const rows = [...host.querySelectorAll('section.quotas tr')];
    const cells = (r: Element) => [...r.children].map((c) => c.textContent?.trim()).slice(0, 2);
    expect(rows.map(cells)).toEqual([
      ['Containers', '2 of 3'],
      ['Running servers', '1 of 1'],
      ['Branches per container', '2 of no limit'],
      ['Bookmarks', '0 of 0'],
    ]);
    expect(rows.map((r) => r.classList.contains('full'))).toEqual([false, true, false, true]);
    expect(rows[2]!.querySelector('progress')).toBeNull();
    expect(rows[0]!.querySelector('progress')?.getAttribute('aria-label')).toBe('Containers');
  });
});
