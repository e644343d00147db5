import { Logger } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer, type OnGatewayInit } from '@nestjs/websockets';
import type { ServerEventMap } from '@branchpoint/contracts';
import type { Server, Socket } from 'socket.io';
import { verifyAccessToken } from '../auth/access-token.js';
import { AuthService } from '../auth/auth.service.js';
import { SessionsService, type SessionsEnded } from '../auth/sessions.service.js';
import { AppConfig } from '../config/app-config.js';

export type EventServer = Server<Record<string, never>, ServerEventMap>;

export const EVERYONE_ROOM = 'everyone';
export const userRoom = (userId: string): string => `user:${userId}`;
const sessionRoom = (sessionId: string): string => `session:${sessionId}`;

/**
 * socket.io endpoint (`/socket.io`). A socket must present a valid token in `auth.token` when it
 * connects; it then joins its user's room, where the control plane pushes ServerEventMap events.
 * It is closed when its access token expires (the client reconnects with a fresh one) and at once
 * when its session ends or its user is disabled — on every replica, through the Redis adapter.
 */
@WebSocketGateway()
export class EventsGateway implements OnGatewayInit {
  private readonly logger = new Logger(EventsGateway.name);
  @WebSocketServer() server!: EventServer;

  constructor(
    private readonly auth: AuthService,
    sessions: SessionsService,
    private readonly config: AppConfig,
  ) {
    sessions.ended.add(async (event) => this.disconnect(event));
  }

  afterInit(server: EventServer): void {
    server.use((socket: Socket, next) => {
      const token: unknown = socket.handshake.auth?.['token'];
      if (typeof token !== 'string' || token === '')
        return next(new Error('unauthorized: pass a token in auth.token'));
      this.auth.authenticate(token).then(
        (user) => {
          if (!user) return next(new Error('unauthorized: invalid or expired token'));
          const rooms = [userRoom(user.id), EVERYONE_ROOM];
          if (user.sessionId) rooms.push(sessionRoom(user.sessionId));
          void socket.join(rooms);
          this.closeAtExpiry(socket, token);
          next();
        },
        (error: unknown) => {
          this.logger.error(`socket authentication failed: ${String(error)}`);
          next(new Error('authentication failed'));
        },
      );
    });
  }

  /** Sockets of ended sessions, or all of a user's (disabled, deleted), close everywhere. */
  private async disconnect(event: SessionsEnded): Promise<void> {
    const rooms = event.sessionIds?.map(sessionRoom) ?? [userRoom(event.userId)];
    if (rooms.length > 0) this.server?.in(rooms).disconnectSockets(true);
  }

  private closeAtExpiry(socket: Socket, token: string): void {
    const expiresAt = verifyAccessToken(token, this.config.jwtSecret)?.exp;
    if (!expiresAt) return; // an API token: it is checked again when the socket reconnects
    const timer = setTimeout(() => socket.disconnect(true), expiresAt * 1000 - Date.now());
    socket.once('disconnect', () => clearTimeout(timer));
  }
}
