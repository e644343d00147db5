import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export type Role = 'admin' | 'user';

/** Who is calling: set on the request by the auth guard. */
export interface CurrentUser {
  id: string;
  username: string;
  role: Role;
  /** The session of an access token; absent for API tokens. */
  sessionId?: string;
}

export const AuthUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CurrentUser => {
    return context.switchToHttp().getRequest<{ user: CurrentUser }>().user;
  },
);

export function isAdmin(user: CurrentUser): boolean {
  return user.role === 'admin';
}
