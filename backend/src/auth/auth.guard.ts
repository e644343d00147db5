import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ADMIN_ROUTE, PUBLIC_ROUTE } from '../common/access.decorators.js';
import { ForbiddenException, UnauthorizedException } from '../common/app.exception.js';
import type { CurrentUser } from '../common/current-user.js';
import { AuthService } from './auth.service.js';

/** Registered once as APP_GUARD: every route needs a valid bearer token unless marked @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { user?: CurrentUser }>();
    const bearer = bearerToken(request.headers.authorization);
    if (!bearer) throw new UnauthorizedException('auth.token-missing', 'missing bearer token');
    const user = await this.auth.authenticate(bearer);
    if (!user) throw new UnauthorizedException('auth.token-invalid', 'invalid or expired token');
    request.user = user;
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ROUTE, targets) && user.role !== 'admin') {
      throw new ForbiddenException('auth.admin-required', 'this action needs the admin role');
    }
    return true;
  }
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
