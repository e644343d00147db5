import { ForbiddenException } from '../common/app.exception.js';

/** What a quota limits. */
export type QuotaKind = 'containers' | 'runningServers' | 'branchesPerContainer' | 'bookmarks';

export const QUOTA_KINDS: readonly QuotaKind[] = [
  'containers',
  'runningServers',
  'branchesPerContainer',
  'bookmarks',
];

/** A limit per kind; null: no limit (as a default) or "the default applies" (as an override). */
export type QuotaLimits = Record<QuotaKind, number | null>;

export const NO_LIMITS: QuotaLimits = {
  containers: null,
  runningServers: null,
  branchesPerContainer: null,
  bookmarks: null,
};

/** The limits that apply to a user: each of their overrides, else the default. */
export function effectiveLimits(defaults: QuotaLimits, overrides: QuotaLimits | null): QuotaLimits {
  const limits = { ...defaults };
  for (const kind of QUOTA_KINDS) {
    const own = overrides?.[kind];
    if (own !== null && own !== undefined) limits[kind] = own;
  }
  return limits;
}

/** The words of a limit, as the refusal and the usage page say it. */
const WORDS: Readonly<Record<QuotaKind, (n: number) => string>> = {
  containers: (n) => `${n} ${n === 1 ? 'container' : 'containers'}`,
  runningServers: (n) => `${n} running ${n === 1 ? 'server' : 'servers'}`,
  branchesPerContainer: (n) => `${n} ${n === 1 ? 'branch' : 'branches'} per container`,
  bookmarks: (n) => `${n} ${n === 1 ? 'bookmark' : 'bookmarks'}`,
};

/**
 * Refuses (403 `quota.exceeded`) when `used` plus `adding` would pass `limit`, naming the
 * limit and its value; a null limit lets everything pass.
 */
export function checkQuota(kind: QuotaKind, limit: number | null, used: number, adding = 1): void {
  if (limit === null || used + adding <= limit) return;
  const need = adding > 1 ? ` (this needs ${adding} more, ${used} in use)` : '';
  throw new ForbiddenException(
    'quota.exceeded',
    `limit of ${WORDS[kind](limit)} reached${need}; ask an admin to raise your quota`,
  );
}
