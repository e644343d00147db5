import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { provideRouter } from '@angular/router';
import { NEVER, Observable, firstValueFrom } from 'rxjs';
import { Container } from '../core/api/models';
import { AuthService } from '../core/auth/auth.service';
import { OperationsService } from '../core/jobs/operations.service';
import { SocketEvents } from '../core/socket/socket-events';
import { SocketService } from '../core/socket/socket.service';
import { fakeSocket } from '../testing/fake-socket';
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

/**
 * The container page over a fake HTTP backend; operations run their request and succeed. With
 * `socket`, the page hears its pushes; without, nothing changes behind its back.
 */
async function setup(container: Container, socket?: ReturnType<typeof fakeSocket>) {
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
      socket
        ? { provide: SocketService, useValue: socket }
        : { provide: ContainerLiveService, useValue: { changes: () => NEVER } },
      { provide: AuthService, useValue: { user: signal(qa), isAdmin: signal(false) } },
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(ContainerPageComponent);
  fixture.componentRef.setInput('id', 'c1');
  fixture.detectChanges();
  await fixture.whenStable();
  await answer(fixture, http, container);

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

/** Answers the requests one load of the page makes, with `container` and empty timelines. */
async function answer(
  fixture: ComponentFixture<ContainerPageComponent>,
  http: HttpTestingController,
  container: Container,
) {
  http.expectOne(`${API}/containers/c1`).flush(container);
  await fixture.whenStable();
  for (const branch of container.branches ?? [])
    http.expectOne(`${API}/branches/${branch.id}/timeline?limit=500`).flush([]);
  http.expectOne((r) => r.url === `${API}/bookmarks`).flush([]);
  await new Promise((resolve) => setTimeout(resolve, 0));
  fixture.detectChanges();
  await fixture.whenStable();
}

describe('ContainerPageComponent Start/Stop', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  it('offers Stop while the databases run, asks first, then stops them', async () => {
    const { http, run, toolbarButton, dialogButton } = await setup(aServingContainer('running'));
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
    const { http, run, toolbarButton, dialogButton } = await setup(aServingContainer('running'));
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
      const { http, run, toolbarButton } = await setup(aServingContainer(serving));
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

describe('ContainerPageComponent header', () => {
  it("shows the template and the version of the active branch's data, and follows activation", async () => {
    const branches = (active: string) => [
      aBranch({
        id: 'b-main',
        name: 'default',
        templateVersion: 'v2',
        active: active === 'b-main',
      }),
      aBranch({ id: 'b-old', name: 'before-refresh', active: active === 'b-old' }),
    ];
    const { fixture, http } = await setup(
      aContainer({
        id: 'c1',
        name: 'qa-box',
        templateVersion: 'v2',
        activeBranchId: 'b-main',
        branches: branches('b-main'),
      }),
    );
    http.expectOne(`${API}/templates/t1`).flush({ id: 't1', name: 'employees' });
    fixture.detectChanges();
    const facts = () =>
      (fixture.nativeElement as HTMLElement)
        .querySelector('.facts')
        ?.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(facts()).toContain('Template employees v2');
    expect(facts()).toContain('Active branch default');

    fixture.componentInstance.reload();
    await new Promise((resolve) => setTimeout(resolve, 250)); // reloads are debounced by 200 ms
    await answer(
      fixture,
      http,
      aContainer({
        id: 'c1',
        name: 'qa-box',
        templateVersion: 'v1',
        activeBranchId: 'b-old',
        branches: branches('b-old'),
      }),
    );
    expect(facts()).toContain('Template employees v1');
    expect(facts()).toContain('Active branch before-refresh');
  });

  it('names the host, and says the container is unavailable while its host is down', async () => {
    const { fixture, http } = await setup(
      aContainer({
        id: 'c1',
        name: 'qa-box',
        host: { id: 'h2', name: 'local-2', status: 'down' },
        available: false,
        activeBranchId: 'b-main',
        branches: [aBranch({ id: 'b-main', name: 'default', active: true })],
      }),
    );
    http.expectOne(`${API}/templates/t1`).flush({ id: 't1', name: 'employees' });
    fixture.detectChanges();
    const page = fixture.nativeElement as HTMLElement;
    expect(page.querySelector('.facts')?.textContent?.replace(/\s+/g, ' ')).toContain(
      'Host local-2',
    );
    expect(page.querySelector('[role="alert"]')?.textContent).toContain(
      'Host local-2 is down or unreachable',
    );
  });
});

describe('ContainerPageComponent Rotate password', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  const withPassword = (password: string) =>
    aContainer({
      ...aServingContainer('running'),
      endpoints: [
        {
          source: 'app-db',
          kind: 'postgres',
          host: 'db.example',
          port: 57001,
          database: 'app',
          username: 'owner',
          password,
          connectionString: `postgresql://owner:${password}@db.example:57001/app?sslmode=require`,
          command: 'psql "postgres://owner@db.example:57001/app?sslmode=require"',
          path: null,
        },
        {
          source: 'site',
          kind: 'mariadb',
          host: 'db.example',
          port: 57002,
          database: 'shop',
          username: 'owner',
          password,
          connectionString: `mysql://owner:${password}@db.example:57002/shop?ssl-mode=REQUIRED`,
          command: 'mariadb -h db.example -P 57002 -u owner -p --ssl shop',
          path: null,
        },
      ],
    });

  it("names each source's engine and offers its client command to copy", async () => {
    const { fixture } = await setup(withPassword('secret-1'));
    const connect = (fixture.nativeElement as HTMLElement).querySelector(
      'section.endpoints',
    ) as HTMLElement;
    const engines = [...connect.querySelectorAll('.engine')].map((e) => e.textContent?.trim());
    expect(engines).toEqual(['PostgreSQL', 'MariaDB']);
    expect(
      connect.querySelector('[aria-label="Client command for site"]')?.textContent?.trim(),
    ).toBe('mariadb -h db.example -P 57002 -u owner -p --ssl shop');
    expect(
      connect.querySelector('[aria-label="Connection string for site"]')?.textContent,
    ).toContain('mysql://owner:secret-1@db.example:57002/shop');
    expect(connect.querySelector('[aria-label="Copy client command for site"]')).not.toBeNull();
  });

  it('sits beside the connection strings, asks first, rotates and then shows the new connection string', async () => {
    const { fixture, http, run, dialogButton } = await setup(withPassword('old-secret'));
    const host = fixture.nativeElement as HTMLElement;
    const connect = host.querySelector('section.endpoints') as HTMLElement;
    const shown = () =>
      connect.querySelector('[aria-label="Connection string for app-db"]')?.textContent?.trim();
    expect(shown()).toContain('old-secret');
    const rotate = [...connect.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Rotate password',
    ) as HTMLButtonElement;
    expect(rotate.disabled).toBe(false);

    rotate.click();
    TestBed.tick();
    expect(document.querySelector('.cdk-overlay-container')?.textContent).toContain(
      'Existing sessions end',
    );
    dialogButton('Rotate')!.click();
    TestBed.tick();
    const request = await vi.waitFor(() =>
      http.expectOne(`${API}/containers/c1/credentials/rotate`),
    );
    expect(request.request.method).toBe('POST');
    request.flush({ jobId: 'j-rotate' });
    await vi.waitFor(() =>
      expect(run).toHaveBeenCalledWith('Rotate password', expect.anything(), expect.any(String)),
    );

    await new Promise((resolve) => setTimeout(resolve, 250)); // reloads are debounced by 200 ms
    await answer(fixture, http, withPassword('new-secret'));
    expect(shown()).toContain('new-secret');
    expect(shown()).not.toContain('old-secret');
  });

  it('is off while someone else holds the lock', async () => {
    const { fixture } = await setup(
      aContainer({ ...withPassword('old-secret'), lockedBy: { id: 'u-dev', username: 'dev' } }),
    );
    const rotate = [
      ...(fixture.nativeElement as HTMLElement).querySelectorAll('section.endpoints button'),
    ].find((b) => b.textContent?.trim() === 'Rotate password') as HTMLButtonElement;
    expect(rotate.disabled).toBe(true);
  });
});

describe('ContainerPageComponent Move', () => {
  afterEach(() => TestBed.inject(MatDialog).closeAll());

  const placement = (hosts: { id: string; name: string; status: 'up' | 'down' }[]) => ({
    pinnedHostIds: null,
    hosts,
  });
  const moveLink = (page: HTMLElement) =>
    [...page.querySelectorAll('button.link')].find((b) => b.textContent?.trim() === 'Move') as
      HTMLButtonElement | undefined;

  it('is offered when the template is on another host, and moves the container there', async () => {
    const { fixture, http, run, dialogButton } = await setup(aServingContainer('running'));
    http.expectOne(`${API}/templates/t1`).flush({ id: 't1', name: 'employees' });
    http.expectOne(`${API}/templates/t1/placement`).flush(
      placement([
        { id: 'h1', name: 'local', status: 'up' },
        { id: 'h3', name: 'local-3', status: 'down' },
        { id: 'h2', name: 'local-2', status: 'up' },
      ]),
    );
    fixture.detectChanges();
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    moveLink(page)!.click();
    fixture.detectChanges();
    await fixture.whenStable();
    const dialog = document.querySelector('mat-dialog-container') as HTMLElement;
    expect(dialog.textContent).toContain('Its connection strings change');
    // The host it is on is not offered, and one that is down is not chosen: local-2 is.
    dialogButton('Move')!.click();
    await vi.waitFor(() => expect(run).toHaveBeenCalled());
    const request = http.expectOne(`${API}/containers/c1/move`);
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ hostId: 'h2' });
    request.flush({ jobId: 'j1' });
    expect(run.mock.calls[0]![0]).toBe('Move');
  });

  it('is not offered when the template is on no other host', async () => {
    const { fixture, http } = await setup(aServingContainer('running'));
    http.expectOne(`${API}/templates/t1`).flush({ id: 't1', name: 'employees' });
    http
      .expectOne(`${API}/templates/t1/placement`)
      .flush(placement([{ id: 'h1', name: 'local', status: 'up' }]));
    fixture.detectChanges();
    await fixture.whenStable();
    expect(moveLink(fixture.nativeElement as HTMLElement)).toBeUndefined();
  });

  it('says so while it moves, and offers no other operation until it is done', async () => {
    const { fixture, http, toolbarButton } = await setup({
      ...aServingContainer('running'),
      state: 'moving',
    });
    http.expectOne(`${API}/templates/t1`).flush({ id: 't1', name: 'employees' });
    http.expectOne(`${API}/templates/t1/placement`).flush(
      placement([
        { id: 'h1', name: 'local', status: 'up' },
        { id: 'h2', name: 'local-2', status: 'up' },
      ]),
    );
    fixture.detectChanges();
    await fixture.whenStable();
    const page = fixture.nativeElement as HTMLElement;
    expect(page.textContent).toContain('Moving to another host');
    expect(page.querySelector('.facts .bp-status')?.textContent?.trim()).toBe('moving');
    expect(moveLink(page)).toBeUndefined();
    for (const action of ['Bookmark', 'Reset', 'Refresh', 'Undo', 'New branch', 'Stop', 'Delete'])
      expect(toolbarButton(action)?.disabled, action).toBe(true);
  });

  it('shows the new connection string once the container moved', async () => {
    const socket = fakeSocket();
    const onHost = (host: string, port: number) =>
      aContainer({
        ...aServingContainer('running'),
        host: { id: host === 'local' ? 'h1' : 'h2', name: host, status: 'up' },
        endpoints: [
          {
            source: 'app-db',
            kind: 'postgres',
            host,
            port,
            database: 'app',
            username: 'owner',
            password: 'secret',
            connectionString: `postgresql://owner:secret@${host}:${port}/app?sslmode=require`,
            command: null,
            path: null,
          },
        ],
      });
    const { fixture, http } = await setup(onHost('local', 57001), socket);
    const shown = () =>
      (fixture.nativeElement as HTMLElement)
        .querySelector('[aria-label="Connection string for app-db"]')
        ?.textContent?.trim();
    expect(shown()).toContain('@local:57001');

    socket.push(SocketEvents.containerMoved, {
      containerId: 'c1',
      name: 'qa-box',
      fromHost: 'local',
      toHost: 'local-2',
      endpoints: [{ source: 'app-db', host: 'local-2', port: 57101 }],
    });
    await new Promise((resolve) => setTimeout(resolve, 250)); // reloads are debounced by 200 ms
    await answer(fixture, http, onHost('local-2', 57101));
    expect(shown()).toContain('@local-2:57101');
  });
});
