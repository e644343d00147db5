import { api as rest } from '@branchpoint/api-client';
import type pg from 'pg';
import type { ApiClient } from './api-client.js';
import { withClient } from './source-database.js';

/** Clone CAs fetched so far, by API URL and container (each host has a CA of its own). */
const cas = new Map<string, Promise<string>>();

/**
 * The PEM of the CA that signs the clone servers' certificates of the container's host, from
 * the control plane (`GET /containers/:id/ca-certificate` of a container the caller may see;
 * without an id, the first one it lists). Cached per stack and container.
 */
export function cloneCa(api: ApiClient, containerId?: string, host = ''): Promise<string> {
  // A container that moved answers with its new host's CA.
  const key = `${api.apiUrl} ${containerId ?? ''} ${host}`;
  let ca = cas.get(key);
  if (!ca) {
    ca = (async () => {
      const id = containerId ?? (await api.send(rest.containers.list()))[0]?.id;
      if (!id) throw new Error('cloneCa: the caller sees no container to ask for the clone CA');
      return api.send(rest.containers.caCertificate(id));
    })();
    cas.set(key, ca);
    ca.catch(() => cas.delete(key));
  }
  return ca;
}

/**
 * node-postgres options for a clone endpoint: TLS, verified with the clone CA (the chain and
 * the name: the certificate names the agent's BP_CLONE_HOST). node-postgres reads
 * `sslmode=require` in a URL as verify-full against the system CAs and lets the URL override
 * `ssl`, so the URL loses its `ssl*` parameters here.
 */
export function cloneClientConfig(connectionString: string, ca: string): pg.ClientConfig {
  const url = new URL(connectionString);
  for (const name of [...url.searchParams.keys()])
    if (name.startsWith('ssl')) url.searchParams.delete(name);
  return { connectionString: url.toString(), ssl: { ca, rejectUnauthorized: true } };
}

/** Runs `work` with a client connected to a clone over verified TLS, and always closes it. */
export function withClone<T>(
  connectionString: string,
  ca: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  return withClient(cloneClientConfig(connectionString, ca), work);
}
