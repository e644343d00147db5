import { Controller, Get, Header, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { bearerToken } from '../auth/auth.guard.js';
import { AuthService } from '../auth/auth.service.js';
import { Public } from '../common/access.decorators.js';
import { ForbiddenException, UnauthorizedException } from '../common/app.exception.js';
import { sameSecret } from '../common/same-secret.js';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from './metrics.service.js';

/**
 * Prometheus scrape endpoint. Readable by admins, or with BP_METRICS_TOKEN as bearer token
 * (so a scraper needs no user account). The guard is bypassed to accept that token.
 */
@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @Header('cache-control', 'no-store')
  @ApiOkResponse({
    description: 'Prometheus text format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const bearer = bearerToken(authorization);
    if (!bearer) throw new UnauthorizedException('auth.token-missing', 'missing bearer token');
    if (!(this.config.metricsToken && sameSecret(bearer, this.config.metricsToken))) {
      const user = await this.auth.authenticate(bearer);
      if (!user) throw new UnauthorizedException('auth.token-invalid', 'invalid or expired token');
      if (user.role !== 'admin')
        throw new ForbiddenException(
          'metrics.forbidden',
          'metrics are for admins or the metrics token',
        );
    }
    const { contentType, body } = await this.metrics.render();
    response.type(contentType).send(body);
  }
}
