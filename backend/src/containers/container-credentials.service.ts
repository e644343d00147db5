import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { JobName, type RotateContainerPasswordPayload } from '@branchpoint/contracts';
import type { Repository } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { AgentsService } from '../agents/agents.service.js';
import type { CurrentUser } from '../common/current-user.js';
import { resealStored } from '../common/reseal-stored.js';
import { SecretBox } from '../common/secret-box.js';
import { Container } from '../database/entities/container.entity.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';

/** How long a host's clone CA is kept before it is asked again (it changes only if the agent's run directory is reset). */
const CA_CACHE_MS = 10 * 60_000;

/**
 * How clients reach a container's databases safely: its password (sealed in the catalog), and
 * the CA its servers' certificates chain to.
 */
@Injectable()
export class ContainerCredentialsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ContainerCredentialsService.name);
  private readonly cas = new Map<string, { pem: Promise<string>; until: number }>();

  constructor(
    private readonly access: AccessService,
    private readonly agents: AgentsService,
    private readonly jobs: JobsService,
    @InjectRepository(Container) private readonly containers: Repository<Container>,
    private readonly secrets: SecretBox,
  ) {}

  /** Seals stored passwords with the current key (after BP_SECRET_KEY was rotated). */
  async onApplicationBootstrap(): Promise<void> {
    await resealStored(this.containers, 'password', this.secrets, this.logger);
  }

  /** A new generated password for every server of the container; the old one stops working. */
  async rotate(user: CurrentUser, id: string): Promise<AcceptedJobDto> {
    const container = await this.access.operableContainer(user, id);
    return { jobId: await this.startRotation(container, user.id, 'requested') };
  }

  /**
   * Rotates after someone lost access to the password (a removed co-owner), whatever the lock;
   * nothing to do while the container is being deleted.
   */
  async rotateAfterAccessLost(container: Container, actorId: string): Promise<string | null> {
    if (container.state === 'deleting') return null;
    return this.startRotation(container, actorId, 'owner-removed');
  }

  /** PEM of the CA that signs the certificates of the container's servers (its host's). */
  async caCertificate(user: CurrentUser, id: string): Promise<string> {
    const { container } = await this.access.visibleContainer(user, id);
    const cached = this.cas.get(container.hostId);
    if (cached && cached.until > Date.now()) return cached.pem;
    const pem = this.agents.forHostOf(container).then(async (agent) => {
      const { certificate } = await agent.cloneCa();
      return certificate.endsWith('\n') ? certificate : `${certificate}\n`;
    });
    this.cas.set(container.hostId, { pem, until: Date.now() + CA_CACHE_MS });
    // A failed call is not kept: the next request asks the agent again.
    pem.catch(() => this.cas.delete(container.hostId));
    return pem;
  }

  private async startRotation(
    container: Container,
    actorId: string,
    reason: RotateContainerPasswordPayload['reason'],
  ): Promise<string> {
    const { jobId } = await this.jobs.start(
      JobName.RotateContainerPassword,
      { containerId: container.id, reason },
      { userId: actorId, containerId: container.id },
      {
        action: 'container.credentials.rotate',
        entityType: 'container',
        entityId: container.id,
        details: { reason },
      },
    );
    return jobId;
  }
}
