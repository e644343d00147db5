// Seeds the demo through the control plane's REST API, idempotently: host `local` (this
// machine's storage agent; with BP_DEMO_HOSTS=N also `local-2` … from BP_DEMO_EXTRA_HOSTS, with
// the employees template made available on them), template `employees` (the demo source database), template `shop`
// (a MariaDB `site`, a directory `files` and PostgreSQL `analytics`) and container `demo` for
// the admin. Progress goes to stderr; stdout gets one JSON line with the demo
// container's id and endpoints, for the caller to print.
//
// Environment: BP_API_URL (http://127.0.0.1:3000), BRANCHPOINT_ADMIN_PASSWORD (required),
// BP_AGENT_URL, BP_AGENT_TOKEN, BP_AGENT_CERT (the certificate file the agent serves, whose
// fingerprint the host pins), BP_DEMO_SOURCE_URL (connection string of `employees`),
// BP_DEMO_MARIADB_URL (`mysql://…/shop`), BP_DEMO_FILES_DIR (the folder of `files`).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const api = `${(process.env.BP_API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '')}/api/v1`;
const JOB_TIMEOUT_MS = 15 * 60 * 1000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function log(message) {
  process.stderr.write(`${message}\n`);
}

let token = '';

async function call(method, path, body) {
  return (await exchange(method, path, body)).data;
}

/** Every item of a list, following its pages (the API answers at most 500 at a time). */
async function listAll(path) {
  const items = [];
  for (let cursor = null; ;) {
    const query = new URLSearchParams({ limit: '500', ...(cursor ? { cursor } : {}) });
    const { data, response } = await exchange('GET', `${path}?${query}`);
    items.push(...data);
    cursor = response.headers.get('x-next-cursor');
    if (!cursor) return items;
  }
}

/** The answer's JSON and the response (for its headers); an error answer throws. */
async function exchange(method, path, body) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const message = Array.isArray(data?.message)
      ? data.message.join('; ')
      : (data?.message ?? text);
    throw new Error(`${method} ${path} answered ${response.status}: ${message}`);
  }
  return { data, response };
}

async function findByName(path, name) {
  return (await listAll(path)).find((item) => item.name === name);
}

async function waitForJob(jobId, what) {
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  let shown = -1;
  for (;;) {
    const job = await call('GET', `/jobs/${encodeURIComponent(jobId)}`);
    if (job.state === 'succeeded') return job;
    if (job.state === 'failed')
      throw new Error(`${what} failed: ${job.error ?? 'no reason given'}`);
    const progress = typeof job.progress === 'number' ? job.progress : 0;
    if (progress !== shown) {
      log(`${what}: ${job.state} ${progress}%`);
      shown = progress;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} did not finish within ${JOB_TIMEOUT_MS / 60000} minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Finds the named resource or creates it (an operation job when the API answers with a jobId). */
async function ensure(path, name, create, what) {
  const existing = await findByName(path, name);
  if (existing) {
    log(`${what} "${name}" already exists`);
    return existing.id;
  }
  log(`creating ${what} "${name}"`);
  const created = await call('POST', path, create);
  if (created?.jobId) await waitForJob(created.jobId, `${what} "${name}"`);
  const id = created?.id ?? (await findByName(path, name))?.id;
  if (!id) throw new Error(`${what} "${name}" was created but cannot be found`);
  return id;
}

/** A resource left failed by an earlier run (say, the agent was stopped meanwhile) is made again. */
async function removeFailed(path, name, what) {
  const existing = await findByName(path, name);
  if (existing?.state !== 'failed') return;
  log(`${what} "${name}" failed earlier; deleting it to create it again`);
  const deleted = await call('DELETE', `${path}/${encodeURIComponent(existing.id)}`);
  if (deleted?.jobId) await waitForJob(deleted.jobId, `deleting ${what} "${name}"`);
}

/**
 * A host of this machine (`local`, and `local-2` … with BP_DEMO_HOSTS), pinned to the
 * certificate its agent serves. A record from an earlier run with another address (plain HTTP
 * before agents spoke HTTPS, or another network namespace address) or another certificate (a
 * fresh agent run directory) is brought up to date.
 */
async function ensureHost(name, url, certFile) {
  const host = {
    url,
    token: required('BP_AGENT_TOKEN'),
    fingerprint: new X509Certificate(readFileSync(certFile)).fingerprint256,
  };
  const existing = await findByName('/hosts', name);
  if (!existing) return ensure('/hosts', name, { name, ...host }, 'host');
  if (existing.url !== host.url || existing.certificateFingerprint !== host.fingerprint) {
    log(`host "${name}" has another address or certificate; updating it`);
    await call('PATCH', `/hosts/${encodeURIComponent(existing.id)}`, host);
  } else log(`host "${name}" already exists`);
  return existing.id;
}

/** The other hosts of a multi-host dev stack (BP_DEMO_EXTRA_HOSTS: [{name, url, cert}]). */
async function ensureExtraHosts() {
  const extra = JSON.parse(process.env.BP_DEMO_EXTRA_HOSTS || '[]');
  const ids = [];
  for (const { name, url, cert } of extra) ids.push(await ensureHost(name, url, cert));
  return ids;
}

/** Makes the template available on the other hosts too (replicated there), once. */
async function spreadTemplate(templateId, hostIds) {
  const template = await call('GET', `/templates/${encodeURIComponent(templateId)}`);
  const present = new Set((template.hosts ?? []).map((h) => h.hostId));
  for (const hostId of hostIds.filter((id) => !present.has(id))) {
    log(`making template "${template.name}" available on host ${hostId}`);
    const accepted = await call('POST', `/templates/${encodeURIComponent(templateId)}/hosts`, {
      hostId,
    }).catch((error) => {
      // A control plane without replication: the template stays on its first host.
      if (!/answered 404/.test(error.message)) throw error;
      log(`this control plane cannot replicate templates; "${template.name}" stays on one host`);
      return null;
    });
    if (!accepted) return;
    await waitForJob(accepted.jobId, `replicating template "${template.name}"`);
  }
}

async function main() {
  ({ accessToken: token } = await call('POST', '/auth/login', {
    username: 'admin',
    password: process.env.BRANCHPOINT_ADMIN_PASSWORD,
  }));
  const hostId = await ensureHost('local', required('BP_AGENT_URL'), required('BP_AGENT_CERT'));
  const extraHostIds = await ensureExtraHosts();
  const templateId = await ensure(
    '/templates',
    'employees',
    {
      name: 'employees',
      hostId,
      sources: [
        { name: 'employees', kind: 'postgres', connectionString: required('BP_DEMO_SOURCE_URL') },
      ],
    },
    'template',
  );
  // The second demo spans engines: a MariaDB site, its files and a PostgreSQL database.
  await ensure(
    '/templates',
    'shop',
    {
      name: 'shop',
      hostId,
      sources: [
        { name: 'site', kind: 'mariadb', connectionString: required('BP_DEMO_MARIADB_URL') },
        { name: 'files', kind: 'directory', path: required('BP_DEMO_FILES_DIR') },
        { name: 'analytics', kind: 'postgres', connectionString: required('BP_DEMO_SOURCE_URL') },
      ],
    },
    'template',
  );
  await spreadTemplate(templateId, extraHostIds);
  await removeFailed('/containers', 'demo', 'container');
  const containerId = await ensure(
    '/containers',
    'demo',
    { name: 'demo', templateId },
    'container',
  );
  const container = await call('GET', `/containers/${encodeURIComponent(containerId)}`);
  process.stdout.write(
    `${JSON.stringify({ containerId, endpoints: container.endpoints ?? [] })}\n`,
  );
}

main().catch((error) => {
  log(`demo seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
