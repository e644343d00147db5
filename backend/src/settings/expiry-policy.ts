import { parseDuration, type ExpiryKind } from '@branchpoint/contracts';
import {
  BadInputException,
  ConflictException,
  ForbiddenException,
} from '../common/app.exception.js';

/** One kind's rule: durations as the admins wrote them (`7d`); null means none. */
export interface ExpiryRule {
  default: string | null;
  max: string | null;
}

/** The admins' expiry policy (`GET|PUT /settings/expiry`). */
export interface ExpiryPolicy {
  container: ExpiryRule;
  branch: ExpiryRule;
  bookmark: ExpiryRule;
  /** How long before expiry owners are warned. */
  warningLead: string;
}

/** What a create or a PATCH says about expiry (creates never carry `protected`). */
export interface ExpiryInput {
  expiresAt?: string | null;
  expiresIn?: string;
  protected?: boolean;
}

/** Who asks, when, about which kind of object under which rule. */
export interface ExpiryRequest {
  kind: ExpiryKind;
  rule: ExpiryRule;
  /** Admins are exempt from the maximum. */
  admin: boolean;
  now: Date;
}

/** The columns a PATCH changes; a new expiry is warned about again and no longer blocked. */
export interface ExpiryChanges {
  expiresAt?: Date | null;
  expiryWarnedAt?: null;
  expiryBlockedReason?: null;
  protected?: boolean;
}

const PLURAL: Readonly<Record<ExpiryKind, string>> = {
  container: 'containers',
  branch: 'branches',
  bookmark: 'bookmarks',
};

/** Client clocks run a little apart from ours: `expiresAt` computed as "now + max" still fits. */
const CLOCK_SKEW_MS = 60_000;

/** A new object's expiry: as asked, else the kind's default, else its maximum; never beyond the maximum for non-admins. */
export function expiryOnCreate(input: ExpiryInput, request: ExpiryRequest): Date | null {
  const asked = askedExpiry(input, request.now);
  return asked === undefined ? fallbackExpiry(request) : withinMaximum(asked, input, request);
}

/**
 * What a PATCH changes: `protected: true` clears the expiry; a new expiry (the one call that
 * extends) replaces the old; unprotecting without a new expiry gets the default again.
 */
export function expiryChanges(
  input: ExpiryInput,
  current: { protected: boolean },
  request: ExpiryRequest,
): ExpiryChanges {
  const asked = askedExpiry(input, request.now);
  const fresh = { expiryWarnedAt: null, expiryBlockedReason: null } as const;
  if (input.protected === true) {
    if (asked !== undefined)
      throw new BadInputException(
        'expiry.invalid',
        'a protected object never expires: give protected: true or an expiry, not both',
      );
    const { rule, admin, kind } = request;
    if (rule.max && !admin)
      throw new ForbiddenException(
        'expiry.admin-only',
        `only admins may protect ${PLURAL[kind]} while their expiry has a maximum (${rule.max})`,
      );
    return { protected: true, expiresAt: null, ...fresh };
  }
  const unprotect = input.protected === false && current.protected;
  if (asked === undefined)
    return unprotect ? { protected: false, expiresAt: fallbackExpiry(request), ...fresh } : {};
  if (current.protected && !unprotect)
    throw new ConflictException(
      'expiry.protected',
      `the ${request.kind} is protected: give protected: false with the new expiry`,
    );
  return {
    ...(unprotect ? { protected: false } : {}),
    expiresAt: withinMaximum(asked, input, request),
    ...fresh,
  };
}

/** The expiry the input asks for: a Date, null (none), or undefined (not mentioned). */
function askedExpiry(input: ExpiryInput, now: Date): Date | null | undefined {
  if (input.expiresIn !== undefined && input.expiresAt !== undefined)
    throw new BadInputException('expiry.invalid', 'give expiresAt or expiresIn, not both');
  if (input.expiresIn !== undefined)
    return new Date(now.getTime() + parseDuration(input.expiresIn));
  if (input.expiresAt === undefined) return undefined;
  return input.expiresAt === null ? null : new Date(input.expiresAt);
}

function fallbackExpiry({ rule, now }: ExpiryRequest): Date | null {
  const duration = rule.default ?? rule.max;
  return duration ? new Date(now.getTime() + parseDuration(duration)) : null;
}

function withinMaximum(
  asked: Date | null,
  input: ExpiryInput,
  { kind, rule, admin, now }: ExpiryRequest,
): Date | null {
  if (admin || !rule.max) return asked;
  if (asked === null)
    throw new BadInputException(
      'expiry.invalid',
      `expiresAt cannot be cleared: ${PLURAL[kind]} expire within a maximum of ${rule.max}`,
    );
  if (asked.getTime() > now.getTime() + parseDuration(rule.max) + CLOCK_SKEW_MS) {
    const field = input.expiresIn !== undefined ? 'expiresIn' : 'expiresAt';
    throw new BadInputException(
      'expiry.invalid',
      `${field} exceeds the maximum of ${rule.max} for ${PLURAL[kind]}`,
    );
  }
  return asked;
}
