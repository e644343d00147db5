import { api as rest } from '@branchpoint/api-client';
import type { ApiClient } from '../api/client.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { isUuid } from '../ids.js';

/**
 * An id as given, or the id of the branch named `ref` in `containerId` (branch names are
 * unique per container only, so a name needs the container).
 */
export async function branchOrId(
  api: ApiClient,
  ref: string,
  containerId: string | undefined,
  what: string,
): Promise<string> {
  if (isUuid(ref)) return ref;
  if (!containerId)
    throw usageError(`"${ref}" is not ${what} id (a UUID); give --container to name a branch`);
  const branches = await api.sendAll(rest.branches.list(containerId));
  const branch = branches.find((b) => b.name === ref);
  if (!branch)
    throw new CliError(`container ${containerId} has no branch "${ref}"`, ExitCode.notFound);
  return branch.id;
}
