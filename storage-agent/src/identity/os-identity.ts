import { AgentFailure } from '../common/agent-failure.js';
import type { KeyedMutex } from '../common/keyed-mutex.js';
import type { DatasetLayout } from '../datasets/layout.js';
import { PROPERTY } from '../datasets/properties.js';
import { ifMissing } from '../zfs/zfs.errors.js';
import type { Zfs } from '../zfs/zfs.js';

/** An OS identity that servers, tools and hooks of one tenant (a container or a template) run as. */
export interface OsIdentity {
  /** For logs and USER; the uid needs no passwd entry. */
  name: string;
  uid: number;
  gid: number;
}

/**
 * One uid (and the gid of the same number) per container, per template and per preview, from the configured
 * range, recorded in `branchpoint:uid` on the container's or template's dataset so it survives
 * restarts and travels with the data. No two tenants share one, so nothing a clone's server runs
 * can read another clone's files, a template's files or the agent's.
 */
export class OsIdentities {
  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly locks: KeyedMutex,
    private readonly range: { first: number; last: number },
  ) {}

  /** The identity of a container (allocated on first use; its dataset must exist). */
  container(containerId: string): Promise<OsIdentity> {
    return this.of(this.layout.container(containerId));
  }

  /** The identity of a template (allocated on first use; its dataset must exist). */
  template(templateId: string): Promise<OsIdentity> {
    return this.of(this.layout.template(templateId));
  }

  /** The identity of a preview (allocated on first use; its dataset must exist). */
  preview(previewId: string): Promise<OsIdentity> {
    return this.of(this.layout.preview(previewId));
  }

  private async of(dataset: string): Promise<OsIdentity> {
    const stored = await this.read(dataset);
    if (stored !== null) return identityOf(stored);
    return this.locks.run('uids', async () => {
      const again = await this.read(dataset);
      if (again !== null) return identityOf(again);
      const uid = await this.freeUid();
      await this.zfs.set(dataset, PROPERTY.uid, String(uid));
      return identityOf(uid);
    });
  }

  private async read(dataset: string): Promise<number | null> {
    const value = await this.zfs.getValue(dataset, PROPERTY.uid).catch(ifMissing(null));
    const uid = Number(value);
    return value !== null && Number.isInteger(uid) && uid > 0 ? uid : null;
  }

  private async freeUid(): Promise<number> {
    const taken = new Set<number>();
    for (const parent of [this.layout.containers, this.layout.templates, this.layout.previews]) {
      for (const info of await this.zfs.describe(parent, { depth: 1 }).catch(ifMissing([])))
        if (info.properties['uid']) taken.add(Number(info.properties['uid']));
    }
    for (let uid = this.range.first; uid <= this.range.last; uid++) if (!taken.has(uid)) return uid;
    throw new AgentFailure(
      500,
      'internal',
      `no free uid left in ${this.range.first}-${this.range.last} (BP_TENANT_UIDS)`,
    );
  }
}

const identityOf = (uid: number): OsIdentity => ({ name: `bp-${uid}`, uid, gid: uid });

/** A minimal environment for servers, tools and hooks run as a tenant identity. */
export function tenantEnv(
  identity: OsIdentity,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    // No home: nothing of the agent's or another tenant's is found through HOME.
    HOME: '/nonexistent',
    USER: identity.name,
    LANG: 'C.UTF-8',
    ...extra,
  };
}
