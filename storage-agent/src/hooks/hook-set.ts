/** A template's hooks for one moment: SQL statements, then a shell script. */
export interface HookSet {
  sql: string[];
  shell?: string | undefined;
}

export const hasHooks = (hooks: HookSet): boolean => hooks.sql.length > 0 || !!hooks.shell;

/** When hooks run: after the ingest of a template source, or after a start of a container's server. */
export type HookMoment =
  { kind: 'afterIngest'; templateId: string } | { kind: 'afterStart'; containerId: string };
