import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { NotFoundException } from '../common/app.exception.js';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { Host } from '../database/entities/host.entity.js';
import { pinnedFetch } from './agent-certificate.js';
import { AgentClient, type AgentTarget } from './agent.client.js';
import { InstallationService } from './installation.service.js';

/** Hands out agent clients; the only way the rest of the control plane reaches an agent. */
@Injectable()
export class AgentsService implements OnApplicationShutdown {
  /** One connection pool per pinned certificate, so calls reuse connections. */
  private readonly pinned = new Map<string | null, ReturnType<typeof pinnedFetch>>();

  constructor(
    @InjectRepository(Host) private readonly hosts: Repository<Host>,
    private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly installation: InstallationService,
  ) {}

  /** The agent of the host a container or template lives on; 404 when the host is gone. */
  async forHostOf(object: { hostId: string }): Promise<AgentClient> {
    const host = await this.hosts.findOneBy({ id: object.hostId });
    if (!host) throw new NotFoundException('host', object.hostId);
    return this.client(host);
  }

  /**
   * `host.token` as stored (sealed); it is opened only here, to call the agent. The client
   * refuses an agent that does not present `host.certificateFingerprint`, and names this
   * installation in every call (the agent refuses it datasets of another).
   */
  client(host: AgentTarget & { certificateFingerprint: string | null }): AgentClient {
    return new AgentClient(
      { url: host.url, token: this.secrets.open(host.token), name: host.name },
      this.config.agentTimeoutMs,
      this.fetchFor(host.certificateFingerprint),
      this.installation.id,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pinned.values()].map((pinned) => pinned.close()));
    this.pinned.clear();
  }

  private fetchFor(pin: string | null) {
    let pinned = this.pinned.get(pin);
    if (!pinned) {
      pinned = pinnedFetch(pin);
      this.pinned.set(pin, pinned);
    }
    return pinned.fetch;
  }
}
