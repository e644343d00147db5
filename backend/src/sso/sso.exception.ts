import type { ErrorCode } from '@branchpoint/contracts';
import { AppException } from '../common/app.exception.js';

type SsoCode = Extract<ErrorCode, `sso.${string}`>;

/** Single sign-on's own errors: the code says what failed, the message how to go on. */
export class SsoException extends AppException {
  constructor(code: SsoCode, message: string) {
    super(code, message);
  }
}

/** Answered by the single sign-on routes while BP_OIDC_ISSUER is unset. */
export class SsoDisabledException extends SsoException {
  constructor() {
    super(
      'sso.disabled',
      'single sign-on is not configured on this server (BP_OIDC_ISSUER is not set)',
    );
  }
}
