import { Injectable } from '@nestjs/common';
import { SecretBox } from '../common/secret-box.js';
import { AppConfig } from '../config/app-config.js';
import { AgentClient, type AgentTarget } from './agent.client.js';

/** Hands out agent clients; the only way the rest of the control plane reaches an agent. */
@Injectable()
export class AgentsService {
  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretBox,
  ) {}

  /** `host.token` as stored (sealed); it is opened only here, to call the agent. */
  client(host: AgentTarget): AgentClient {
    return new AgentClient(
      { url: host.url, token: this.secrets.open(host.token) },
      this.config.agentTimeoutMs,
    );
  }
}
