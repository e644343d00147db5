import { type Stack, cloneCa, startStack, withClone } from '@branchpoint/testing';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** Clone servers use the frontend suite's port range (57400-57499 stay free for manual runs). */
const CLONE_PORTS = { first: 57000, last: 57399 };

/** The suite's stack: its admin API gives the clone CA the helpers below verify servers with. */
let current: Stack | undefined;

export async function startFrontendStack(backendEnv: Record<string, string> = {}): Promise<Stack> {
  current = await startStack({
    project: 'frontend',
    clonePorts: CLONE_PORTS,
    uiDir: fileURLToPath(new URL('../../dist/browser', import.meta.url)),
    backendEnv,
  });
  return current;
}

/** Runs `work` on a clone over TLS verified with the stack's clone CA (from the API). */
async function withCloneOf<T>(
  connectionString: string,
  work: Parameters<typeof withClone<T>>[2],
): Promise<T> {
  if (!current) throw new Error('start the stack with startFrontendStack first');
  return withClone(connectionString, await cloneCa(current.api), work);
}

/** Creates a user with a known password, so the browser can sign in as them. */
export async function createUser(stack: Stack, username: string, role: 'admin' | 'user' = 'user') {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const user = await stack.api.expect<{ id: string }>(201, 'POST', '/users', {
    username,
    password,
    role,
  });
  return { id: user.id, username, password };
}

/**
 * Number of employees in a clone. Activation and restore restart the clone's server, so a
 * refused connection right after is retried for a while.
 */
export async function countEmployees(connectionString: string, where = 'true'): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withCloneOf(connectionString, async (client) => {
        const { rows } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM employees WHERE ${where}`,
        );
        return Number(rows[0]?.n);
      });
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export async function sql(connectionString: string, text: string): Promise<void> {
  await withCloneOf(connectionString, (client) => client.query(text));
}
