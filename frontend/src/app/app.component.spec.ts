import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AppComponent } from './app.component';
import { AuthService } from './core/auth/auth.service';
import { OperationsService } from './core/jobs/operations.service';
import { SocketEvents } from './core/socket/socket-events';
import { SocketService } from './core/socket/socket.service';
import { fakeSocket } from './testing/fake-socket';
import { aUser } from './testing/fixtures';

describe('AppComponent notices', () => {
  function mount(signedIn: boolean) {
    const socket = fakeSocket();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: SocketService, useValue: socket },
        {
          provide: AuthService,
          useValue: {
            user: signal(signedIn ? aUser({ id: 'u-qa', username: 'qa' }) : null),
            isAdmin: signal(false),
          },
        },
      ],
    });
    const fixture = TestBed.createComponent(AppComponent);
    fixture.detectChanges();
    return { fixture, socket, ops: TestBed.inject(OperationsService) };
  }

  const moved = {
    containerId: 'c1',
    name: 'qa-box',
    fromHost: 'local',
    toHost: 'local-2',
    endpoints: [{ source: 'app-db', host: 'local-2', port: 57101 }],
  };

  it('says on any page that a container moved, and where it answers now', async () => {
    const { fixture, socket, ops } = mount(true);
    socket.push(SocketEvents.containerMoved, moved);
    expect(ops.operations()).toEqual([
      expect.objectContaining({
        label: 'Moved',
        state: 'notice',
        message:
          'Container “qa-box” moved from host local to local-2: its connection string changed (app-db at local-2:57101).',
      }),
    ]);
    fixture.detectChanges();
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain(
      'moved from host local to local-2',
    );
  });

  it('says nothing to a signed-out visitor', () => {
    const { socket, ops } = mount(false);
    socket.push(SocketEvents.containerMoved, moved);
    expect(ops.operations()).toEqual([]);
  });
});
