import { Injectable, effect, inject, signal, untracked } from '@angular/core';
import { Observable } from 'rxjs';
import { Socket, io } from 'socket.io-client';
import { AuthService } from '../auth/auth.service';

/**
 * One socket.io connection to the control plane (same origin), authenticated with the
 * current token; the server puts it in the rooms of everything this user may see. Events
 * arrive as observables; the connection opens on first use and follows sign-in and sign-out.
 */
@Injectable({ providedIn: 'root' })
export class SocketService {
  private readonly auth = inject(AuthService);
  private socket: Socket | null = null;
  readonly connected = signal(false);

  constructor() {
    // A new token (or none) means a new session: reconnect so the server sees who it is now.
    effect(() => {
      const token = this.auth.token();
      untracked(() => {
        if (!this.socket) return;
        this.socket.disconnect();
        if (token) this.socket.connect();
      });
    });
  }

  on<T>(event: string): Observable<T> {
    return new Observable<T>((subscriber) => {
      const socket = this.open();
      const handler = (payload: T) => subscriber.next(payload);
      socket.on(event, handler);
      return () => socket.off(event, handler);
    });
  }

  private open(): Socket {
    if (this.socket) return this.socket;
    const socket = io({
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      autoConnect: !!this.auth.token(),
      auth: (cb) => cb({ token: this.auth.token() ?? '' }),
    });
    socket.on('connect', () => this.connected.set(true));
    socket.on('disconnect', (reason) => {
      this.connected.set(false);
      // The server closes a socket when its access token expires or its session ends:
      // a renewed token reconnects it (through the effect above); a session that is over signs out.
      if (reason === 'io server disconnect') void this.renewSession();
    });
    socket.on('connect_error', (error) => {
      this.connected.set(false);
      if (error.message.startsWith('unauthorized')) void this.renewSession();
    });
    this.socket = socket;
    return socket;
  }

  private async renewSession(): Promise<void> {
    if (!this.auth.token()) return;
    if (!(await this.auth.refresh())) this.auth.signOut();
  }
}
