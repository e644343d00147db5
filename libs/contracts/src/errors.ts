/**
 * Stable error codes of the control plane, and the HTTP status each answers with. Clients (CLI,
 * UI, pipelines) act on `code`; `message` is for people and may be reworded. Add codes, never
 * rename or reuse one.
 */
export const ERROR_STATUS = {
  /** The request is malformed: a field missing or of the wrong type, bad JSON, a bad id. */
  'request.invalid': 400,
  'request.too-large': 413,
  /** No such route (a mistyped path, or a newer client than the server). */
  'route.not-found': 404,
  'auth.token-missing': 401,
  'auth.token-invalid': 401,
  'auth.login-failed': 401,
  'auth.too-many-logins': 429,
  'auth.admin-required': 403,
  /** The password was right, but an admin disabled the account. */
  'auth.account-disabled': 403,
  /** A refresh token that is unknown, expired, already used, or of an ended session. */
  'auth.refresh-invalid': 401,
  /** Changing one's password needs the current one. */
  'auth.current-password-wrong': 403,
  /** Single sign-on is off: BP_OIDC_ISSUER is not set. */
  'sso.disabled': 404,
  /** A sign-in's state is unknown, used, expired, or was started in another browser. */
  'sso.state-invalid': 400,
  /** The provider's answer failed a check (code, PKCE, ID token issuer, audience, signature, expiry, nonce) or was an error. */
  'sso.callback-invalid': 401,
  /** The one-time code the UI exchanges for a session is unknown, used or expired. */
  'sso.code-invalid': 401,
  /** The provider could not be reached or answered unexpectedly (discovery, token, user info). */
  'sso.provider-unavailable': 502,
  /** The object exists and the caller may see it, but only its owners may do this. */
  'access.owners-only': 403,

  'user.not-found': 404,
  /** A request names a user who does not exist (in a body: 400, not 404 of the path). */
  'user.unknown': 400,
  'user.taken': 409,
  /** Shorter than 12 characters, a commonly used password, or containing the username. */
  'user.password-weak': 400,
  /** An admin may not disable or delete their own account (someone else must). */
  'user.self': 409,
  /** Deleting a user whose containers would be left without an owner, without saying what to do. */
  'user.handover-invalid': 400,
  'token.not-found': 404,
  'token.expiry-invalid': 400,

  'host.not-found': 404,
  'host.unknown': 400,
  'host.exists': 409,
  'host.certificate-changed': 400,
  /** The agent at that address is registered already, as another host (named). */
  'host.agent-registered': 409,
  /** The host is down or cut off (its health check fails): its containers cannot be operated now. */
  'host.unavailable': 503,
  /** The host is being drained: it takes no new containers until the drain is ended. */
  'host.draining': 409,
  /** POST /containers hostId: the template is not available there (the answer lists where it is). */
  'container.host-not-allowed': 400,
  /** POST /containers hostId: an admin pinned the template's containers to other hosts. */
  'container.host-pinned': 403,
  /** The template is pinned to hosts it is not available on: no host may take its containers. */
  'template.no-placement': 409,

  'template.not-found': 404,
  'template.unknown': 400,
  'template.exists': 409,
  'template.invalid': 400,
  'template.no-version': 409,
  'template.ingesting': 409,
  'template.owner-superuser-admin-only': 403,
  /** The host is the template's origin (where it is ingested): it cannot be added or removed. */
  'template.host-is-origin': 409,
  /** Containers of the template live on that host: its copy there cannot go. */
  'template.host-in-use': 409,

  /** The template is not available on that host (DELETE /templates/:id/hosts/:hostId). */
  'template-host.not-found': 404,
  'container.not-found': 404,
  /** Being created, moved, deleted, or failed: not ready for operations. */
  'container.busy': 409,
  'container.locked': 409,
  'container.no-active-branch': 409,
  'container.stopped': 409,
  'container.has-dependents': 409,
  /** A move to the host the container is on already. */
  'container.same-host': 409,
  'container.last-owner': 409,
  'owner.not-found': 404,
  'settings.invalid': 400,
  'settings.outdated': 409,

  'branch.not-found': 404,
  'branch.exists': 409,
  'branch.busy': 409,
  'branch.active': 409,
  'branch.holds-bookmarks': 409,
  'branch.has-dependents': 409,
  /** A branch or container asked to start from two places, or from none. */
  'branch.origin-invalid': 400,

  'point.not-found': 404,
  'preview.not-found': 404,
  /** A preview's servers are not serving yet, or failed. */
  'preview.not-ready': 409,
  /** The preview serves no source of the engines this reading needs (a directory has no tables). */
  'preview.no-server': 409,
  /** minutes out of range, or neither or both of bookmarkId and pointId. */
  'preview.invalid': 400,
  'diff.not-found': 404,
  /** The two points are of different templates. */
  'diff.other-template': 400,
  /** Compare reads PostgreSQL and MariaDB: the template has neither (directories only). */
  'diff.engine-unsupported': 400,
  'rebase.not-found': 404,
  /** The branch has no first point, or its data was replaced (restore, refresh) since it was made. */
  'rebase.no-base': 409,
  /** The version asked for is not newer than the one the branch's changes are measured from. */
  'rebase.not-newer': 409,
  /** No ready version of the template by that name. */
  'rebase.version-unknown': 400,
  /** Rebase replays PostgreSQL: templates with one PostgreSQL source. */
  'rebase.engine-unsupported': 400,
  'timeline.nothing-to-reset': 409,
  'timeline.nothing-to-undo': 409,

  'bookmark.not-found': 404,
  'bookmark.other-template': 400,
  'bookmark.other-container': 400,
  'bookmark.has-dependents': 409,
  'bookmark.share-invalid': 400,

  'expiry.invalid': 400,
  'expiry.protected': 409,
  'expiry.admin-only': 403,
  'expiry.locked': 409,

  'job.not-found': 404,
  'webhook.not-found': 404,
  'webhook.admin-only': 403,
  /** The URL's host is or resolves to an address outbound requests may not reach (loopback, private, link-local, metadata, …) and no admin allowed it. */
  'webhook.url-refused': 400,
  /** The user has as many webhooks as BP_WEBHOOKS_PER_USER allows; the message names the limit. */
  'webhook.limit-reached': 409,
  /** An outbound allow entry that is neither an IP address, a CIDR range nor a host name. */
  'outbound-rule.invalid': 400,
  'outbound-rule.not-found': 404,
  'outbound-rule.exists': 409,
  'pull-request-config.not-found': 404,
  /** A pull-request configuration field is wrong (bookmark or container of another template, URL refused, …); the message names it. */
  'pull-request-config.invalid': 400,
  /** Only admins and the template's owner configure its pull-request databases. */
  'pull-request-config.forbidden': 403,
  /** An inbound forge webhook whose signature (GitHub) or token (GitLab) does not match the configuration's secret. */
  'forge.signature-invalid': 401,
  /** An inbound forge webhook that is not JSON, or lacks the fields of its event; the message names what. */
  'forge.event-invalid': 400,
  /** Too many inbound webhooks with a bad signature from this address. */
  'forge.too-many-attempts': 429,
  'metrics.forbidden': 403,
  /** Creating or starting this would pass an admin-set limit; the message names the limit and its value. */
  'quota.exceeded': 403,
  /** Too many creates counted against one quota at once; try again. */
  'quota.busy': 409,
  /** A `cursor` query parameter that no page of this list gave out. */
  'pagination.cursor-invalid': 400,

  'reconciliation.refused': 409,
  'recovery.running': 409,

  /** Two requests raced for one unique name; the database decided. */
  'catalog.duplicate': 409,
  'agent.unavailable': 503,
  /** The host's agent presents a certificate other than the pinned one: an admin must check it. */
  'agent.certificate-changed': 503,
  /** The agent does not know what a call named (the catalog and the host disagree). */
  'agent.not-found': 404,
  'agent.refused': 409,
  /** The dataset carries another installation's id: this control plane never changes it. */
  'agent.foreign-installation': 409,
  'agent.rejected-input': 400,
  'agent.failed': 502,
  'metadata.unavailable': 503,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as readonly ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/** The body of every control-plane error answer. */
export interface ErrorBody {
  statusCode: number;
  /** The HTTP reason phrase, e.g. "Conflict". */
  error: string;
  /** What went wrong, stable for programs: one of ERROR_CODES. */
  code: ErrorCode;
  /** Names the problem in words a user can act on. */
  message: string;
}

export const HTTP_ERROR_NAMES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};
