import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { Setting } from '../database/entities/setting.entity.js';

/** The settings row that holds the installation id. */
export const INSTALLATION_SETTING = 'installation';

const INSTALLATION_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** How often a replica reads the id again (another replica's recovery may have taken one over). */
const REREAD_MS = 10_000;

/**
 * This control plane's installation id: made once (by the migration that introduced it) and kept
 * in the metadata. Every agent call carries it, every dataset an agent creates for it carries it
 * (`branchpoint:installation`), and agents refuse it any dataset that carries another.
 */
@Injectable()
export class InstallationService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(InstallationService.name);
  private value: string | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(@InjectRepository(Setting) private readonly settings: Repository<Setting>) {}

  async onModuleInit(): Promise<void> {
    // The migration made it; should the row be gone, one replica makes a new one and all read it.
    await this.settings
      .createQueryBuilder()
      .insert()
      .values({ key: INSTALLATION_SETTING, value: { id: randomUUID() }, updatedById: null })
      .orIgnore()
      .execute();
    await this.read();
    this.timer = setInterval(() => {
      this.read().catch((error: unknown) =>
        this.logger.warn(`installation id not read again: ${(error as Error).message}`),
      );
    }, REREAD_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The installation id (known once the module started). */
  get id(): string {
    if (this.value === null) throw new Error('the installation id is not read yet');
    return this.value;
  }

  /**
   * Makes `id` this installation's: a new catalog that recovers the hosts of a lost one (see
   * RecoveryService) continues that installation, so its datasets stay its own.
   */
  async takeOver(id: string, actorId: string): Promise<void> {
    if (!INSTALLATION_ID.test(id)) throw new Error(`not an installation id: ${id}`);
    await this.settings.save({ key: INSTALLATION_SETTING, value: { id }, updatedById: actorId });
    this.logger.warn(`installation id ${this.value ?? '-'} replaced by ${id} (catalog recovery)`);
    this.value = id;
  }

  private async read(): Promise<void> {
    const row = await this.settings.findOneByOrFail({ key: INSTALLATION_SETTING });
    const id = (row.value as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !INSTALLATION_ID.test(id))
      throw new Error(
        `the installation id in the settings table is not valid: ${JSON.stringify(id)}`,
      );
    this.value = id;
  }
}
