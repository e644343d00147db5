import { TestBed } from '@angular/core/testing';
import { SocketEvents } from '../core/socket/socket-events';
import { SocketService } from '../core/socket/socket.service';
import { fakeSocket } from '../testing/fake-socket';
import { aJob } from '../testing/fixtures';
import { ContainerLiveService } from './container-live.service';

describe('ContainerLiveService', () => {
  function listen() {
    const socket = fakeSocket();
    TestBed.configureTestingModule({ providers: [{ provide: SocketService, useValue: socket }] });
    const changes = vi.fn();
    TestBed.inject(ContainerLiveService).changes('c1').subscribe(changes);
    return { socket, changes };
  }

  it('tells of a move of this container only', () => {
    const { socket, changes } = listen();
    const moved = { name: 'qa-box', fromHost: 'local', toHost: 'local-2', endpoints: [] };
    socket.push(SocketEvents.containerMoved, { ...moved, containerId: 'c2' });
    expect(changes).not.toHaveBeenCalled();
    socket.push(SocketEvents.containerMoved, { ...moved, containerId: 'c1' });
    expect(changes).toHaveBeenCalledTimes(1);
  });

  it('tells when a move job starts, not at each step, and when it ends', () => {
    const { socket, changes } = listen();
    const move = (state: 'running' | 'succeeded', progress: number) =>
      socket.push(
        SocketEvents.jobUpdated,
        aJob({ id: 'j-move', type: 'move-container', state, progress }),
      );
    move('running', 10);
    expect(changes).toHaveBeenCalledTimes(1);
    move('running', 60);
    expect(changes).toHaveBeenCalledTimes(1);
    move('succeeded', 100);
    expect(changes).toHaveBeenCalledTimes(2);
    // Other jobs of the container count once they end, as before.
    socket.push(SocketEvents.jobUpdated, aJob({ id: 'j-refresh', type: 'refresh-container' }));
    expect(changes).toHaveBeenCalledTimes(2);
  });
});
