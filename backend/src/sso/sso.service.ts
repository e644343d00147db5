import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { AuthService } from '../auth/auth.service.js';
import type { SessionTokensDto } from '../auth/dto/auth.dto.js';
import { sha256 } from '../auth/hash.js';
import { ForbiddenException, TooManyRequestsException } from '../common/app.exception.js';
import { AppConfig, type SsoConfig } from '../config/app-config.js';
import { QueueRedis } from '../database/redis.provider.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { UsersService } from '../users/users.service.js';
import { SsoAccountsService, type SsoClaims } from './sso-accounts.service.js';
import { SsoDisabledException, SsoException } from './sso.exception.js';

/** A sign-in started, waiting for the provider to send the browser back. */
interface PendingSignIn {
  codeVerifier: string;
  nonce: string;
  returnUrl: string | null;
}

/** How long a started sign-in waits for the provider (the user's login there included). */
export const SIGN_IN_TTL_SECONDS = 600;
/** How long the UI has to exchange the one-time code for a session. */
const HANDOFF_TTL_SECONDS = 60;
export const CALLBACK_PATH = '/api/v1/auth/sso/callback';
/** The UI's route that exchanges the one-time code (frontend core/auth/sso-callback). */
const UI_CALLBACK_PATH = '/sign-in/sso';

/**
 * Single sign-on with an OpenID Connect provider: authorization code with PKCE (S256), state
 * and nonce kept in Redis for one use, the ID token checked (issuer, audience, expiry, nonce,
 * and its signature against the provider's JWKS). The browser gets no token in a URL: the
 * callback hands the UI a one-time code, exchanged with a POST for a session started by
 * `AuthService.startSession`, as password login does.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger(SsoService.name);
  private provider: Promise<oidc.Configuration> | null = null;
  /**
   * Sign-ins started and not finished, per client address: each keeps a Redis entry for ten
   * minutes, so a flood of starts slows down instead of filling Redis.
   */
  private readonly unfinished: LoginThrottle;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: QueueRedis,
    private readonly accounts: SsoAccountsService,
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {
    this.unfinished = new LoginThrottle(redis, `${config.queuePrefix}:sso:starts`, {
      freeAttempts: 100,
      firstDelayMs: 1_000,
      maxDelayMs: 60_000,
      forgetAfterMs: SIGN_IN_TTL_SECONDS * 1000,
    });
  }

  /** What the sign-in page needs to know. */
  status(): { enabled: boolean; name?: string } {
    const sso = this.config.sso;
    return sso ? { enabled: true, name: sso.displayName } : { enabled: false };
  }

  /** Starts a sign-in: the provider's authorization URL, and the state the browser must bring back. */
  async start(
    returnUrl: string | null,
    clientAddress: string,
  ): Promise<{ url: string; state: string }> {
    const sso = this.settings();
    const waitMs = await this.unfinished.reserve(clientAddress);
    if (waitMs > 0)
      throw new TooManyRequestsException(
        'auth.too-many-logins',
        `too many sign-ins started from this address and not finished; try again in ${Math.ceil(waitMs / 1000)} s`,
        Math.ceil(waitMs / 1000),
      );
    const provider = await this.discover();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const pending: PendingSignIn = { codeVerifier, nonce, returnUrl };
    await this.redis.set(
      this.key('state', state),
      JSON.stringify(pending),
      'EX',
      SIGN_IN_TTL_SECONDS,
    );
    const url = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: `${sso.publicUrl}${CALLBACK_PATH}`,
      scope: sso.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Finishes a sign-in the provider sent back (`query` is the callback's query string;
   * `browserState` the state this browser was given at the start). Answers where the browser
   * goes next: the UI, with a one-time code in the URL fragment.
   */
  async finish(query: string, browserState: string | null, clientAddress: string): Promise<string> {
    const sso = this.settings();
    const callbackUrl = new URL(`${sso.publicUrl}${CALLBACK_PATH}`);
    callbackUrl.search = query;
    const state = callbackUrl.searchParams.get('state');
    if (!state || state !== browserState)
      throw new SsoException(
        'sso.state-invalid',
        'this sign-in was not started in this browser, or it expired; start it again',
      );
    // One use: a replayed callback finds nothing.
    const stored = await this.redis.getdel(this.key('state', state));
    if (!stored)
      throw new SsoException(
        'sso.state-invalid',
        'this sign-in is unknown, used or expired; start it again',
      );
    const pending = JSON.parse(stored) as PendingSignIn;
    await this.unfinished.release(clientAddress);
    const provider = await this.discover();
    const claims = await this.verifiedClaims(provider, callbackUrl, state, pending);
    const user = await this.accounts.signIn(provider.serverMetadata().issuer, claims);
    if (user.disabledAt)
      throw new ForbiddenException('auth.account-disabled', 'this account is disabled');
    const code = randomBytes(32).toString('base64url');
    // Stored hashed, so that reading Redis does not give sessions away.
    await this.redis.set(this.key('code', sha256(code)), user.id, 'EX', HANDOFF_TTL_SECONDS);
    const fragment = new URLSearchParams({ code });
    if (pending.returnUrl) fragment.set('returnUrl', pending.returnUrl);
    return `${sso.publicUrl}${UI_CALLBACK_PATH}#${fragment}`;
  }

  /** A session for the one-time code the callback gave the UI; the code works once. */
  async exchange(code: string, clientAddress: string): Promise<SessionTokensDto> {
    this.settings();
    const userId = await this.redis.getdel(this.key('code', sha256(code)));
    const user = userId ? await this.users.findById(userId) : null;
    if (!user)
      throw new SsoException(
        'sso.code-invalid',
        'this sign-in code is unknown, used or expired; sign in again',
      );
    return this.auth.startSession(user, clientAddress);
  }

  /** The code exchanged (with the PKCE verifier) and the ID token checked; its claims with the user info's. */
  private async verifiedClaims(
    provider: oidc.Configuration,
    callbackUrl: URL,
    state: string,
    pending: PendingSignIn,
  ): Promise<SsoClaims> {
    try {
      const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new oidc.ClientError('the provider sent no ID token');
      // Claims such as groups often come only from the user info endpoint.
      const userInfo = provider.serverMetadata().userinfo_endpoint
        ? await oidc.fetchUserInfo(provider, tokens.access_token, idClaims.sub)
        : {};
      return { ...userInfo, ...idClaims };
    } catch (error) {
      throw this.providerError(error);
    }
  }

  private providerError(error: unknown): SsoException {
    // fetch() fails with a TypeError when the provider cannot be reached.
    if (error instanceof TypeError) {
      this.logger.warn(`OpenID provider unreachable: ${describe(error)}`);
      return new SsoException(
        'sso.provider-unavailable',
        `the sign-in provider cannot be reached: ${describe(error)}`,
      );
    }
    if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError)
      return new SsoException(
        'sso.callback-invalid',
        `the provider refused the sign-in: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`,
      );
    return new SsoException(
      'sso.callback-invalid',
      `the sign-in failed a check: ${describe(error)}`,
    );
  }

  /** The provider's metadata and keys, discovered once (again after a failure). */
  private discover(): Promise<oidc.Configuration> {
    const sso = this.settings();
    this.provider ??= oidc
      .discovery(
        new URL(sso.issuer),
        sso.clientId,
        undefined,
        sso.clientSecret === null ? oidc.None() : oidc.ClientSecretBasic(sso.clientSecret),
        {
          execute: [
            // Also verify the ID token's signature with the provider's JWKS, not only TLS.
            oidc.enableNonRepudiationChecks,
            // Plain HTTP is allowed only on localhost (checked in app-config.ts).
            ...(new URL(sso.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : []),
          ],
        },
      )
      .catch((error: unknown) => {
        this.provider = null;
        this.logger.warn(`OpenID provider discovery failed: ${describe(error)}`);
        throw new SsoException(
          'sso.provider-unavailable',
          `the sign-in provider ${sso.issuer} cannot be used: ${describe(error)}`,
        );
      });
    return this.provider;
  }

  private settings(): SsoConfig {
    if (!this.config.sso) throw new SsoDisabledException();
    return this.config.sso;
  }

  private key(kind: 'state' | 'code', id: string): string {
    return `${this.config.queuePrefix}:sso:${kind}:${id}`;
  }
}

/** The error's message with its causes' ("unexpected JWT claim value: nonce mismatch"). */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error && parts.length < 4; current = current.cause)
    parts.push(current.message);
  return parts.length > 0 ? parts.join(': ') : String(error);
}
