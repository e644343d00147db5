import type { Endpoint } from '../core/api/models';

/** A source's engine (or directory), as the API names it. */
export type SourceKind = Endpoint['kind'];

/** How the UI names each engine: the control plane knows engines by name only. */
export const ENGINE_LABEL: Record<SourceKind, string> = {
  postgres: 'PostgreSQL',
  mariadb: 'MariaDB',
  directory: 'Directory',
};

/** What a new source of each kind is registered with, for the template form. */
export const SOURCE_LOCATION: Record<SourceKind, { label: string; placeholder: string }> = {
  postgres: {
    label: 'PostgreSQL connection string',
    placeholder: 'postgresql://user:pw@host:5432/db',
  },
  mariadb: {
    label: 'MariaDB connection string',
    placeholder: 'mysql://user:pw@host:3306/db',
  },
  directory: { label: 'Path on the host', placeholder: '/srv/app/files' },
};
