import type { SourceKind } from '@branchpoint/contracts';

const KINDS: readonly SourceKind[] = ['postgres', 'mariadb', 'directory'];

/** Whether a stored value (a ZFS property, a record) names a source kind. */
export function isSourceKind(value: string | undefined): value is SourceKind {
  return (KINDS as readonly string[]).includes(value ?? '');
}
