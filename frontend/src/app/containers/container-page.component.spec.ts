import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { NEVER, Observable, firstValueFrom } from 'rxjs';
import { Container } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';
import { OperationsService } from '../core/jobs/operations.service';
import { aBranch, aContainer, aUser } from '../testing/fixtures';
import { ContainerLiveService } from './container-live.service';
import { ContainerPageComponent } from './container-page.component';

const API = '/api/v1';
const qa = aUser({ id: 'u-qa', username: 'qa' });

function aServingContainer(serving: Container['serving']): Container {
  return aContainer({
    id: 'c1',
    name: 'qa-box',
    serving,
    owners: [{ id: qa.id, username: qa.username }],
    activeBranchId: 'b-main',
    branches: [aBranch({ id: 'b-main', name: 'default', active: true })],
  });
}

/** The container page over a fake HTTP backend; operations run their request and succeed. */
async function setup(serving: Container['serving']) {
  const run = vi.fn(async (_label: string, request: Observable<unknown>) => {
    await firstValueFrom(request, { defaultValue: null });
    return { ok: true };
  });
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: OperationsService, useValue: { run, operations: signal([]) } },
      { provide: ContainerLiveService, useValue: { changes: () => NEVER } },
      { provide: AuthService, useValue: { user: signal(qa), isAdmin: signal(false) } },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(ContainerPageComponent);
  fixture.componentRef.setInput('id', 'c1');
  fixture.detectChanges();
  await fixture.whenStable();
  http.expectOne(`${API}/containers/c1`).flush(aServingContainer(serving));
  await fixture.whenStable();
  http.expectOne(`${API}/branches/b-main/timeline`).flush([]);
  http.expectOne((r) => r.url === `${API}/bookmarks`).flush([]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  fixture.detectChanges();
  await fixture.whenStable();

  const host = fixture.nativeElement as HTMLElement;
  const toolbarButton = (name: string) =>
    [...host.querySelectorAll('[role=toolbar] button')].find(
      (b) => b.textContent?.trim() === name,
    ) as HTMLButtonElement | undefined;
  const dialogButton = (name: string) =>
    [...document.querySelectorAll('.cdk-overlay-container button')].find(
      (b) => b.textContent?.trim() === name,
    ) as HTMLButtonElement | undefined;
  return { fixture, http, run, toolbarButton, dialogButton };
}

describe('ContainerPageComponent Start/Stop', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('offers Stop while the databases run, asks first, then stops them', async () => {
    const { http, run, toolbarButton, dialogButton } = await setup('running');
    expect(toolbarButton('Start')).toBeUndefined();
    toolbarButton('Stop')!.click();
    TestBed.tick();
    expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain(
      'Stop the databases?',
    );
    http.expectNone(`${API}/containers/c1/stop`);
    dialogButton('Stop')!.click();
    TestBed.tick();
    // The dialog answers once it has closed.
    const stop = await vi.waitFor(() => http.expectOne(`${API}/containers/c1/stop`));
    expect(stop.request.method).toBe('POST');
    stop.flush({ jobId: 'j1' });
    await Promise.resolve();
    expect(run).toHaveBeenCalledWith('Stop', expect.anything(), expect.any(String));
  });

  it('does not stop anything when the confirmation is cancelled', async () => {
    const { http, run, toolbarButton, dialogButton } = await setup('running');
    toolbarButton('Stop')!.click();
    TestBed.tick();
    dialogButton('Cancel')!.click();
    TestBed.tick();
    await vi.waitFor(() => expect(document.querySelector('mat-dialog-container')).toBeNull());
    http.expectNone(`${API}/containers/c1/stop`);
    expect(run).not.toHaveBeenCalled();
  });

  for (const serving of ['stopped', 'idle'] as const) {
    it(`offers Start when the databases are ${serving} and starts them without asking`, async () => {
      const { http, run, toolbarButton } = await setup(serving);
      expect(toolbarButton('Stop')).toBeUndefined();
      toolbarButton('Start')!.click();
      TestBed.tick();
      expect(document.querySelector('.cdk-overlay-container')?.textContent ?? '').not.toContain(
        'Stop the databases?',
      );
      const start = http.expectOne(`${API}/containers/c1/start`);
      expect(start.request.method).toBe('POST');
      start.flush({ jobId: 'j2' });
      await Promise.resolve();
      expect(run).toHaveBeenCalledWith('Start', expect.anything(), 'Databases started');
    });
  }
});
