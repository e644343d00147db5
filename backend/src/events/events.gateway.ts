import { Logger } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer, type OnGatewayInit } from '@nestjs/websockets';
import type { ServerEventMap } from '@branchpoint/contracts';
import type { Server, Socket } from 'socket.io';
import { AuthService } from '../auth/auth.service.js';

export type EventServer = Server<Record<string, never>, ServerEventMap>;

export const EVERYONE_ROOM = 'everyone';
export const userRoom = (userId: string): string => `user:${userId}`;

/**
 * socket.io endpoint (`/socket.io`). A socket must present a valid token in `auth.token` when it
 * connects; it then joins its user's room, where the control plane pushes ServerEventMap events.
 */
@WebSocketGateway({ cors: { origin: true } })
export class EventsGateway implements OnGatewayInit {
  private readonly logger = new Logger(EventsGateway.name);
  @WebSocketServer() server!: EventServer;

  constructor(private readonly auth: AuthService) {}

  afterInit(server: EventServer): void {
    server.use((socket: Socket, next) => {
      const token: unknown = socket.handshake.auth?.['token'];
      if (typeof token !== 'string' || token === '')
        return next(new Error('unauthorized: pass a token in auth.token'));
      this.auth.authenticate(token).then(
        (user) => {
          if (!user) return next(new Error('unauthorized: invalid or expired token'));
          void socket.join([userRoom(user.id), EVERYONE_ROOM]);
          next();
        },
        (error: unknown) => {
          this.logger.error(`socket authentication failed: ${String(error)}`);
          next(new Error('authentication failed'));
        },
      );
    });
  }
}
