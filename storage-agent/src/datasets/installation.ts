import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The installation id of the control plane whose call is being served (its
 * `x-branchpoint-installation` header), for the whole call: every dataset the call creates
 * carries it (see `identity`).
 */
const installationOfCall = new AsyncLocalStorage<string | undefined>();

/** Runs `work` as part of a call of `installation` (undefined: a call that names none). */
export function asInstallation<T>(installation: string | undefined, work: () => T): T {
  return installationOfCall.run(installation, work);
}

/** The installation id of the call being served, if it named one. */
export function currentInstallation(): string | undefined {
  return installationOfCall.getStore();
}
