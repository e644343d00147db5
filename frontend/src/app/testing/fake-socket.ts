import { signal } from '@angular/core';
import { Subject, filter, map } from 'rxjs';

/** A SocketService stand-in for specs: `push` delivers an event to whoever listens to it. */
export function fakeSocket() {
  const pushes = new Subject<{ event: string; payload: unknown }>();
  return {
    connected: signal(true),
    on: <T>(event: string) =>
      pushes.pipe(
        filter((p) => p.event === event),
        map((p) => p.payload as T),
      ),
    push: (event: string, payload: unknown) => pushes.next({ event, payload }),
  };
}
