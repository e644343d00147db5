import type { SourceKind } from '@branchpoint/contracts';
import { AgentFailure } from '../common/agent-failure.js';
import type { CloneServers, Engine, ServerSettingsAccess } from './engine.js';

/** The engines of this agent, by source kind: the one place a kind is turned into code. */
export class Engines {
  private readonly byKind = new Map<SourceKind, Engine>();

  constructor(engines: Engine[]) {
    for (const engine of engines) this.byKind.set(engine.kind, engine);
  }

  of(kind: SourceKind): Engine {
    const engine = this.byKind.get(kind);
    if (!engine) throw new AgentFailure(400, 'bad-request', `this agent has no ${kind} engine`);
    return engine;
  }

  /** The clone servers of a kind; null for kinds whose clones serve nothing (directories). */
  servers(kind: SourceKind): CloneServers | null {
    return this.of(kind).servers;
  }

  /** The clone servers of every engine that has them. */
  allServers(): CloneServers[] {
    return [...this.byKind.values()].flatMap((engine) => (engine.servers ? [engine.servers] : []));
  }

  /** The `branchpoint:*` property each engine keeps its password verifier in. */
  passwordProperties(): string[] {
    return this.allServers().map(passwordPropertyOf);
  }

  /**
   * A password's verifier for every engine, as the `branchpoint:*` properties a container (or a
   * preview) keeps: each engine's servers read theirs (CloneServers.passwordProperty).
   */
  passwordVerifiers(password: string): Record<string, string> {
    return Object.fromEntries(
      this.allServers().map((servers) => [
        passwordPropertyOf(servers),
        servers.passwordVerifier(password),
      ]),
    );
  }

  /** The settings of every engine that has them (a name is checked against each before anything runs). */
  settings(): ServerSettingsAccess[] {
    return this.allServers().flatMap((servers) => (servers.settings ? [servers.settings] : []));
  }
}

function passwordPropertyOf(servers: CloneServers): string {
  return `branchpoint:${servers.passwordProperty}`;
}
