import {
  cloneCa,
  createSourceDatabase,
  startStack,
  withClone,
  type ApiClient,
  type SourceDatabase,
  type Stack,
  type StackOptions,
} from '@branchpoint/testing';

/**
 * Clone ports of the stacks that name none: 58000-58499 is ours, split between the two files
 * that run at once (VITEST_POOL_ID 1 or 2), so they never pick the same port. Files naming
 * their own range keep it to themselves. The control plane and agent listen on free ports.
 */
const worker = Number(process.env.VITEST_POOL_ID ?? 1);
export const CLONE_PORTS = { first: 58000 + (worker - 1) * 250, last: 58249 + (worker - 1) * 250 };

export const EMPLOYEES_SQL = `
  CREATE TABLE employees (id serial PRIMARY KEY, name text NOT NULL, salary int NOT NULL);
  INSERT INTO employees (name, salary) VALUES ('Ada', 100), ('Grace', 120), ('Linus', 90);
`;

export interface Endpoint {
  source: string;
  /** The source's engine: postgres, mariadb or directory. */
  kind: string;
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
  connectionString: string;
  /** A command to paste in a shell; null for directories. */
  command: string | null;
  /** directory sources: where the copy is mounted. */
  path: string | null;
}

export interface ContainerView {
  id: string;
  name: string;
  templateVersion: string;
  activeBranchId: string;
  endpoints: Endpoint[];
  branches: { id: string; name: string; active: boolean; templateVersion: string }[];
  lockedBy: { id: string } | null;
}

export interface World {
  stack: Stack;
  source: SourceDatabase;
  templateId: string;
}

/** One stack with one source database and a template ingested from it. */
export async function startWorld(
  project: string,
  options: Partial<StackOptions> = {},
): Promise<World> {
  const stack = await startStack({ project, clonePorts: CLONE_PORTS, ...options });
  try {
    const source = await createSourceDatabase({ prefix: 'e2e', setupSql: EMPLOYEES_SQL });
    const { id } = await stack.api.operate('POST', '/templates', {
      name: `app-${project}`,
      hostId: stack.hostId,
      sources: [{ name: 'app-db', kind: 'postgres', connectionString: source.connectionString }],
    });
    return { stack, source, templateId: id! };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

export async function stopWorld(world: World | undefined): Promise<void> {
  await world?.source.drop().catch(() => undefined);
  await world?.stack.stop();
}

export async function createContainer(
  api: ApiClient,
  templateId: string,
  name: string,
  fromBookmarkId?: string,
): Promise<ContainerView> {
  const { id } = await api.operate('POST', '/containers', {
    name,
    templateId,
    ...(fromBookmarkId ? { fromBookmarkId } : {}),
  });
  return getContainer(api, id!);
}

/** Who fetched each container, so `sql` can ask the same API for the clone CA. */
const viewers = new Map<string, ApiClient>();

/** `GET /containers/:id`; `sql` on the answer connects as it (TLS verified with the clone CA). */
export async function getContainer(api: ApiClient, id: string): Promise<ContainerView> {
  viewers.set(id, api);
  return api.expect<ContainerView>(200, 'GET', `/containers/${id}`);
}

/**
 * Runs SQL against the container's (first) database through its public endpoint, over TLS
 * verified with the clone CA. The container must come from createContainer or getContainer.
 */
export async function sql<R extends Record<string, unknown> = Record<string, unknown>>(
  container: ContainerView,
  text: string,
  params?: unknown[],
): Promise<R[]> {
  return withClone(
    container.endpoints[0]!.connectionString,
    await caOf(container),
    async (client) => (await client.query<R>(text, params)).rows,
  );
}

/** The clone CA, from the API that fetched the container. */
export function caOf(container: { id: string; endpoints?: Endpoint[] }): Promise<string> {
  const api = viewers.get(container.id);
  if (!api)
    throw new Error(`container ${container.id} was not fetched with createContainer/getContainer`);
  return cloneCa(api, container.id, container.endpoints?.[0]?.host);
}

export async function names(container: ContainerView): Promise<string[]> {
  return (await sql<{ name: string }>(container, 'SELECT name FROM employees ORDER BY id')).map(
    (r) => r.name,
  );
}

/** Retries `check` until it stops throwing or `timeoutMs` passes (for events that arrive asynchronously). */
export async function eventually(
  check: () => void | Promise<void>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
