import { Body, Controller, Get, HttpCode, Ip, Post, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SessionTokensDto } from '../auth/dto/auth.dto.js';
import { Public } from '../common/access.decorators.js';
import { AppException } from '../common/app.exception.js';
import { AppConfig } from '../config/app-config.js';
import { SsoExchangeDto, SsoStartQueryDto, SsoStatusDto } from './dto/sso.dto.js';
import { SIGN_IN_TTL_SECONDS, SsoService } from './sso.service.js';

/** Ties a sign-in to the browser that started it, so nobody can finish theirs in another's. */
const STATE_COOKIE = 'bp_sso_state';
const COOKIE_PATH = '/api/v1/auth/sso';

@ApiTags('sso')
@Controller('auth/sso')
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    private readonly config: AppConfig,
  ) {}

  /** Whether the sign-in page offers single sign-on. */
  @Get()
  @Public()
  @ApiOkResponse({ type: SsoStatusDto })
  status(): SsoStatusDto {
    return this.sso.status();
  }

  /** Sends the browser to the provider (302); 404 sso.disabled when single sign-on is off. */
  @Get('start')
  @Public()
  @ApiFoundResponse({ description: "Redirect to the provider's authorization endpoint" })
  async start(
    @Query() query: SsoStartQueryDto,
    @Ip() ip: string,
    @Res() response: Response,
  ): Promise<void> {
    const { url, state } = await this.sso.start(query.returnUrl ?? null, ip);
    response.cookie(STATE_COOKIE, state, {
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level navigation from another site.
      sameSite: 'lax',
      secure: this.config.sso?.publicUrl.startsWith('https:') ?? true,
      path: COOKIE_PATH,
      maxAge: SIGN_IN_TTL_SECONDS * 1000,
    });
    response.redirect(302, url);
  }

  /** Where the provider sends the browser back; redirects to the UI with a one-time code. */
  @Get('callback')
  @Public()
  @ApiFoundResponse({ description: 'Redirect to the UI, a one-time code in the URL fragment' })
  async callback(
    @Req() request: Request,
    @Ip() ip: string,
    @Res() response: Response,
  ): Promise<void> {
    // The query is read whole: the provider may add parameters (iss, session_state, …).
    const query = request.originalUrl.split('?')[1] ?? '';
    response.clearCookie(STATE_COOKIE, { path: COOKIE_PATH });
    try {
      response.redirect(302, await this.sso.finish(query, cookie(request, STATE_COOKIE), ip));
    } catch (error) {
      // A person in a browser gets a page saying what failed, with the same status.
      if (!(error instanceof AppException) || request.accepts(['json', 'html']) !== 'html')
        throw error;
      response.status(error.statusCode).type('html').send(failurePage(error));
    }
  }

  /** The session for the one-time code of the callback (the same tokens as password login). */
  @Post('session')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionTokensDto })
  exchange(@Body() dto: SsoExchangeDto, @Ip() ip: string): Promise<SessionTokensDto> {
    return this.sso.exchange(dto.code, ip);
  }
}

function cookie(request: Request, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** A small page for a failed sign-in: what went wrong, and the way back. */
function failurePage(error: AppException): string {
  const message = error.message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in failed · Branchpoint</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto">
<h1>Sign-in failed</h1>
<p>${message}</p>
<p><small>${error.code}</small></p>
<p><a href="/sign-in">Back to sign-in</a></p>
</body></html>
`;
}
