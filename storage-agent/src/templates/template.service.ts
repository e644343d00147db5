import type {
  IngestTemplateVersionRequest,
  SourceSpec,
  TemplateVersionStatus,
} from '@branchpoint/contracts';
import { AgentFailure, notFound } from '../common/agent-failure.js';
import { faultPoint } from '../common/fault-point.js';
import { failedWithLog } from '../hooks/hook-log.js';
import { hasHooks, type HookSet } from '../hooks/hook-set.js';
import type { KeyedMutex } from '../common/keyed-mutex.js';
import { leafOf, type DatasetLayout } from '../datasets/layout.js';
import { PROPERTY, identity } from '../datasets/properties.js';
import type { Dependencies } from '../datasets/dependencies.js';
import type { Engines } from '../engines/engines.js';
import { isSourceKind } from '../engines/source-kind.js';
import type { OsIdentities } from '../identity/os-identity.js';
import type { Zfs } from '../zfs/zfs.js';

interface IngestState {
  state: 'ingesting' | 'failed';
  progress: number;
  error?: string;
  sources: SourceSpec[];
}

/** Templates: ingest of source versions into `<root>/templates/<templateId>/<sourceId>`, snapshots `@<version>`. */
export class TemplateService {
  /** Progress of ingests of this process (a version that is not here is read from ZFS). */
  private readonly ingests = new Map<string, IngestState>();

  constructor(
    private readonly zfs: Zfs,
    private readonly layout: DatasetLayout,
    private readonly dependencies: Dependencies,
    private readonly locks: KeyedMutex,
    private readonly engines: Engines,
    private readonly identities: OsIdentities,
  ) {}

  /**
   * Ingests every source (running its afterIngest hooks), then takes one atomic
   * `snapshot -r <template>@<version>`; a repeat of a ready version changes nothing. The answer
   * of the run that ingested carries the hooks' log, and so does its failure.
   */
  async ingestVersion(
    templateId: string,
    version: string,
    request: IngestTemplateVersionRequest,
  ): Promise<TemplateVersionStatus> {
    const snapshot = this.layout.templateVersion(templateId, version);
    const sourceNames = request.sources.map((source) =>
      this.layout.templateSource(templateId, source.id),
    );
    for (const source of request.sources) this.engines.of(source.kind).check?.(source);
    return this.locks.run(`template:${templateId}`, async () => {
      if (await this.zfs.exists(snapshot)) return this.versionStatus(templateId, version);
      const key = snapshot;
      const state: IngestState = { state: 'ingesting', progress: 0, sources: request.sources };
      this.ingests.set(key, state);
      const hooks: HookSet = {
        sql: request.hooks?.afterIngest ?? [],
        shell: request.hooks?.afterIngestShell,
      };
      const hookLog: string[] = [];
      try {
        await this.ensureDataset(
          this.layout.template(templateId),
          identity('template', { templateId }),
        );
        const shares = request.sources.length;
        for (const [index, source] of request.sources.entries()) {
          const dataset = sourceNames[index] as string;
          await this.ingestSource(templateId, source, dataset, hooks, hookLog, (percent) => {
            state.progress = Math.floor((index * 100 + percent) / shares);
          });
        }
        faultPoint('ingest:after-copy');
        await this.zfs.snapshotRecursive(snapshot);
        faultPoint('ingest:after-snapshot');
        this.ingests.delete(key);
        const status = await this.versionStatus(templateId, version);
        return hasHooks(hooks) ? { ...status, hookLog } : status;
      } catch (error) {
        state.state = 'failed';
        state.error = error instanceof Error ? error.message : String(error);
        throw failedWithLog(
          error instanceof AgentFailure
            ? error
            : new AgentFailure(502, 'ingest-failed', state.error),
          hookLog,
        );
      }
    });
  }

  /** A ready version from ZFS, or the progress of an ingest running in this process. */
  async versionStatus(templateId: string, version: string): Promise<TemplateVersionStatus> {
    const snapshot = this.layout.templateVersion(templateId, version);
    const running = this.ingests.get(snapshot);
    if (running) {
      return {
        templateId,
        version,
        state: running.state,
        progress: running.progress,
        ...(running.error ? { error: running.error } : {}),
        sources: running.sources.map((source) => ({
          id: source.id,
          kind: source.kind,
          usedBytes: 0,
          referencedBytes: 0,
        })),
      };
    }
    if (!(await this.zfs.exists(snapshot)))
      throw notFound(`template ${templateId} has no version ${version}`);
    const datasets = await this.zfs.describe(this.layout.template(templateId), { depth: 2 });
    const sources = datasets
      .filter(
        (dataset) =>
          dataset.type === 'snapshot' &&
          dataset.name.endsWith(`@${version}`) &&
          dataset.name !== snapshot,
      )
      .map((snap) => {
        const parent = datasets.find(
          (dataset) => dataset.name === snap.name.slice(0, snap.name.indexOf('@')),
        );
        const stored = parent?.properties['source-kind'];
        const kind = isSourceKind(stored) ? stored : ('postgres' as const);
        const database = parent?.properties['database'];
        return {
          id: leafOf(snap.name),
          kind,
          ...(database ? { database } : {}),
          usedBytes: snap.usedBytes,
          referencedBytes: snap.referencedBytes,
        };
      });
    return { templateId, version, state: 'ready', progress: 100, sources };
  }

  /** Destroys a version's snapshots; refused while clones use them unless deferred (`destroy -d`). */
  async deleteVersion(templateId: string, version: string, defer: boolean): Promise<void> {
    const snapshot = this.layout.templateVersion(templateId, version);
    await this.locks.run(`template:${templateId}`, async () => {
      this.ingests.delete(snapshot);
      if (!(await this.zfs.exists(snapshot))) return;
      if (!defer)
        await this.dependencies.assertSnapshotFree(
          this.layout.template(templateId),
          version,
          `template ${templateId} version ${version}`,
        );
      await this.zfs.destroy(snapshot, { recursive: true, deferred: defer });
    });
  }

  /** Destroys a template with all its versions; refused while any clone uses one of them. */
  async deleteTemplate(templateId: string): Promise<void> {
    const dataset = this.layout.template(templateId);
    await this.locks.run(`template:${templateId}`, async () => {
      if (!(await this.zfs.exists(dataset))) return;
      await this.dependencies.destroyTree(
        dataset,
        `template ${templateId}`,
        'template.delete:mid-destroy',
      );
    });
  }

  private async ingestSource(
    templateId: string,
    source: SourceSpec,
    dataset: string,
    hooks: HookSet,
    hookLog: string[],
    onProgress: (percent: number) => void,
  ): Promise<void> {
    const props = {
      ...identity('template-source', { templateId, sourceId: source.id }),
      [PROPERTY.sourceKind]: source.kind,
    };
    await this.ensureDataset(dataset, props);
    const ingested = await this.engines.of(source.kind).ingest({
      templateId,
      source,
      dataDir: await this.mountpoint(dataset),
      identity: await this.identities.template(templateId),
      hooks,
      hookLog,
      onProgress,
    });
    if (ingested.database) await this.zfs.set(dataset, PROPERTY.database, ingested.database);
    if (ingested.ingestRole) await this.zfs.set(dataset, PROPERTY.ingestRole, ingested.ingestRole);
    if (ingested.superuser) await this.zfs.set(dataset, PROPERTY.superuser, ingested.superuser);
  }

  private async ensureDataset(name: string, properties: Record<string, string>): Promise<void> {
    if (!(await this.zfs.exists(name))) await this.zfs.create(name, properties);
  }

  private async mountpoint(dataset: string): Promise<string> {
    const [info] = await this.zfs.describe(dataset, { depth: 0 });
    if (!info?.mounted || !info.mountpoint)
      throw new AgentFailure(500, 'internal', `dataset ${dataset} is not mounted`);
    return info.mountpoint;
  }
}
