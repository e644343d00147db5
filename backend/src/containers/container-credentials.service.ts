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
import { HostsService } from '../hosts/hosts.service.js';
import type { AcceptedJobDto } from '../jobs/dto/job.dto.js';
import { JobsService } from '../jobs/jobs.service.js';

/** How long a host's clone CA is kept before it is asked again (it changes only if the agent's run directory is reset). */
const CA_CACHE_MS = 10 * 60_000;

/** A container whose newest password rotation failed for good, and who asked for it. */
interface FailedRotation {
  containerId: string;
  userId: string;
  reason: RotateContainerPasswordPayload['reason'];
}

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
    private readonly hosts: HostsService,
  ) {}

  /**
   * Seals stored passwords with the current key (after BP_SECRET_KEY was rotated); rotations
   * that failed while a host was away run again when it answers.
   */
  async onApplicationBootstrap(): Promise<void> {
    await resealStored(this.containers, 'password', this.secrets, this.logger);
    this.hosts.whenHostReturns(async (host) => void (await this.retryFailedRotations(host.id)));
  }

  /**
   * Starts again every rotation of the host's containers that is the container's newest and
   * failed for good (its agent was away past the job's retries): until one succeeds, a removed
   * co-owner's password still opens the servers, which keep running while their agent is away.
   */
  async retryFailedRotations(hostId: string): Promise<string[]> {
    const failed = (await this.containers.query(
      `SELECT "containerId", "userId", "payload"->>'reason' AS "reason" FROM (
         SELECT DISTINCT ON (j."containerId") j."containerId", j."userId", j."payload", j."state"
         FROM "job" j JOIN "container" c ON c."id" = j."containerId"
         WHERE j."type" = $1 AND c."hostId" = $2 AND c."state" <> 'deleting'
         ORDER BY j."containerId", j."createdAt" DESC
       ) newest WHERE "state" = 'failed'`,
      [JobName.RotateContainerPassword, hostId],
    )) as FailedRotation[];
    const jobIds: string[] = [];
    for (const { containerId, userId, reason } of failed) {
      this.logger.warn(`password rotation of container ${containerId} failed: running it again`);
      jobIds.push(await this.startRotation({ id: containerId }, userId, reason, true));
    }
    return jobIds;
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

  /** `retry`: the control plane starts again a rotation `actorId` had asked for. */
  private async startRotation(
    container: Pick<Container, 'id'>,
    actorId: string,
    reason: RotateContainerPasswordPayload['reason'],
    retry = false,
  ): Promise<string> {
    const { jobId } = await this.jobs.start(
      JobName.RotateContainerPassword,
      { containerId: container.id, reason },
      { userId: actorId, containerId: container.id },
      {
        action: 'container.credentials.rotate',
        entityType: 'container',
        entityId: container.id,
        details: retry ? { reason, retry } : { reason },
        ...(retry ? { actorId: null } : {}),
      },
    );
    return jobId;
  }
}
