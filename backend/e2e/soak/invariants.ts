import { withClone, type ApiClient } from '@branchpoint/testing';
import { sameData, type ContainerModel, type Data, type SoakModel } from './model.js';

/** The container as the API shows it to an owner (the fields the soak checks). */
export interface ContainerView {
  id: string;
  activeBranchId: string;
  serving: string;
  branches: { id: string; name: string }[];
  endpoints: { connectionString: string }[];
}

/** What the container's database serves now, read over SQL (TLS verified with the clone CA). */
export async function servedData(connectionString: string, ca: string): Promise<Data> {
  return withClone(connectionString, ca, async (client) => {
    const rows = await client.query<{ marker: string }>('SELECT marker FROM soak_marks');
    const workMem = await client.query<{ work_mem: string }>('SHOW work_mem');
    return {
      rows: rows.rows.map((r) => r.marker).sort(),
      workMem: workMem.rows[0]!.work_mem,
    };
  });
}

const describe = (d: Data) => `rows [${d.rows.join(', ')}], work_mem ${d.workMem ?? 'default'}`;

/**
 * Compares one container with the model; returns what differs (empty: all holds). The active
 * branch the API names must be the one that serves: its marker rows and setting over SQL;
 * every bookmark the model has must be listed, and no other.
 */
export async function checkContainer(
  model: SoakModel,
  container: ContainerModel,
  owner: ApiClient,
  ca: string,
): Promise<string[]> {
  const problems: string[] = [];
  const view = await owner.expect<ContainerView>(200, 'GET', `/containers/${container.id}`);
  const active = model.active(container);
  if (view.activeBranchId !== container.activeBranchId)
    problems.push(`API says branch ${view.activeBranchId} is active, the model ${active.name}`);
  if (view.serving !== container.serving)
    problems.push(`API says serving ${view.serving}, the model ${container.serving}`);
  const apiBranches = view.branches.map((b) => b.id).sort();
  const modelBranches = [...container.branches.keys()].sort();
  if (apiBranches.join() !== modelBranches.join())
    problems.push(
      `branches differ: API [${view.branches.map((b) => b.name).join(', ')}], model [${[...container.branches.values()].map((b) => b.name).join(', ')}]`,
    );

  if (container.serving === 'running') {
    const expected = { ...active.data, workMem: active.data.workMem ?? container.defaultWorkMem };
    try {
      const served = await servedData(view.endpoints[0]!.connectionString, ca);
      if (!sameData(served, expected))
        problems.push(
          `branch ${active.name} should hold ${describe(expected)}; the server has ${describe(served)}`,
        );
    } catch (error) {
      problems.push(`branch ${active.name} should serve, SQL failed: ${String(error)}`);
    }
  }

  const listed = await owner.expect<{ id: string; containerId: string }[]>(
    200,
    'GET',
    '/bookmarks?scope=mine',
  );
  const apiBookmarks = listed.filter((b) => b.containerId === container.id).map((b) => b.id);
  const modelBookmarks = model.liveBookmarks(container.id).map((b) => b.id);
  const missing = modelBookmarks.filter((id) => !apiBookmarks.includes(id));
  const extra = apiBookmarks.filter((id) => !modelBookmarks.includes(id));
  if (missing.length) problems.push(`bookmarks not listed: ${missing.join(', ')}`);
  if (extra.length) problems.push(`bookmarks listed that the model deleted: ${extra.join(', ')}`);
  return problems;
}
