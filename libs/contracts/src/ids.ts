/**
 * Identifiers that may become part of a ZFS dataset or snapshot name. Only ids the control
 * plane generated (UUIDs, `v<n>` versions, short slugs) pass; user text never does.
 */
export const RESOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function isResourceId(value: unknown): value is string {
  return typeof value === 'string' && RESOURCE_ID_PATTERN.test(value);
}
