import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TemplateHost, type TemplateHostState } from '../database/entities/template-host.entity.js';
import { TemplateVersion } from '../database/entities/template-version.entity.js';
import { Template } from '../database/entities/template.entity.js';
import type { TemplateHostDto } from './dto/template.dto.js';

/**
 * Where a template is available: its origin host (`template.hostId`, where it is ingested)
 * and the hosts an admin added, which receive its versions by `zfs send`/`receive`. The one
 * place that reads and writes the `template_host` table.
 */
@Injectable()
export class TemplateHostsService {
  constructor(
    @InjectRepository(TemplateHost) private readonly rows: Repository<TemplateHost>,
    @InjectRepository(Template) private readonly templates: Repository<Template>,
    @InjectRepository(TemplateVersion) private readonly versions: Repository<TemplateVersion>,
  ) {}

  /**
   * The hosts containers of the template can be made on now, the origin first: the origin when
   * it has a ready version, and every added host holding a version (`ready`, or `failed`/
   * `replicating` while it still serves an older one). Placement chooses among these.
   */
  async readyHostIds(templateId: string): Promise<string[]> {
    const template = await this.templates.findOneBy({ id: templateId });
    if (!template) return [];
    const hasReadyVersion = await this.versions.existsBy({ templateId, state: 'ready' });
    const added = await this.rows.find({ where: { templateId }, order: { createdAt: 'ASC' } });
    return [
      ...(hasReadyVersion ? [template.hostId] : []),
      ...added
        .filter((row) => row.versionNumber !== null && row.state !== 'removing')
        .map((row) => row.hostId),
    ];
  }

  /** The template's availability per host, the origin first, for the template DTO. */
  async describe(template: Template, latestReady: number | null): Promise<TemplateHostDto[]> {
    const added = await this.rows.find({
      where: { templateId: template.id },
      order: { createdAt: 'ASC' },
    });
    return [
      {
        hostId: template.hostId,
        origin: true,
        version: latestReady === null ? null : `v${latestReady}`,
        state: latestReady === null ? 'replicating' : 'ready',
        error: null,
      },
      ...added.map((row) => ({
        hostId: row.hostId,
        origin: false,
        version: row.versionNumber === null ? null : `v${row.versionNumber}`,
        state: row.state,
        error: row.error,
      })),
    ];
  }

  /** The added hosts of a template (not the origin). */
  added(templateId: string): Promise<TemplateHost[]> {
    return this.rows.find({ where: { templateId }, order: { createdAt: 'ASC' } });
  }

  /** One added host of a template, or null. */
  find(templateId: string, hostId: string): Promise<TemplateHost | null> {
    return this.rows.findOneBy({ templateId, hostId });
  }

  /** Adds the host (state `replicating`, no version yet) unless it is there already. */
  async add(templateId: string, hostId: string): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .insert()
      .values({ templateId, hostId, versionNumber: null, state: 'replicating', error: null })
      .orIgnore()
      .execute();
  }

  /** Records a state, and the version the host now holds when one arrived. */
  async setState(
    templateId: string,
    hostId: string,
    state: TemplateHostState,
    changes: { versionNumber?: number; error?: string | null } = {},
  ): Promise<void> {
    await this.rows.update(
      { templateId, hostId },
      {
        state,
        error: changes.error ?? null,
        ...(changes.versionNumber !== undefined ? { versionNumber: changes.versionNumber } : {}),
      },
    );
  }

  async remove(templateId: string, hostId: string): Promise<void> {
    await this.rows.delete({ templateId, hostId });
  }
}
