import { readFileSync } from 'node:fs';
import { Agent, fetch, type RequestInit } from 'undici';

export type AgentFetch = (url: string, init?: RequestInit) => ReturnType<typeof fetch>;

/**
 * A fetch that trusts only a test agent's certificate file (self-signed, so its own root). The
 * file is read at the first call that finds it: the agent makes it when it first starts.
 */
export function trustingFetch(certFile: string): AgentFetch {
  let dispatcher: Agent | undefined;
  return (url, init = {}) => {
    dispatcher ??= new Agent({ connect: { ca: readFileSync(certFile, 'utf8') } });
    return fetch(url, { ...init, dispatcher });
  };
}
