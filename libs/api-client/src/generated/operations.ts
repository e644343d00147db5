/**
 * Generated from docs/openapi.json by `npm run generate -w @branchpoint/api-client`.
 * Do not edit.
 */

import { apiCall, segment, type Answer, type JsonBody, type QueryOf } from '../api-call.js';
import type { paths } from './openapi.js';

/** Every operation of the control plane's REST API, as a call a client sends (see ApiCall). */
export const api = {
  health: {
    /** GET /api/v1/health */
    health: () => apiCall<Answer<paths['/api/v1/health']['get']>>('GET', `/api/v1/health`),
  },
  audit: {
    /** GET /api/v1/audit */
    list: (query?: QueryOf<paths['/api/v1/audit']['get']>) =>
      apiCall<Answer<paths['/api/v1/audit']['get']>>('GET', `/api/v1/audit`, { query }),
  },
  users: {
    /** GET /api/v1/users */
    list: (query?: QueryOf<paths['/api/v1/users']['get']>) =>
      apiCall<Answer<paths['/api/v1/users']['get']>>('GET', `/api/v1/users`, { query }),
    /** POST /api/v1/users */
    create: (body: JsonBody<paths['/api/v1/users']['post']>) =>
      apiCall<Answer<paths['/api/v1/users']['post']>>('POST', `/api/v1/users`, { body }),
  },
  auth: {
    /** POST /api/v1/auth/login */
    login: (body: JsonBody<paths['/api/v1/auth/login']['post']>) =>
      apiCall<Answer<paths['/api/v1/auth/login']['post']>>('POST', `/api/v1/auth/login`, { body }),
    /** POST /api/v1/auth/refresh */
    refresh: (body: JsonBody<paths['/api/v1/auth/refresh']['post']>) =>
      apiCall<Answer<paths['/api/v1/auth/refresh']['post']>>('POST', `/api/v1/auth/refresh`, {
        body,
      }),
    /** POST /api/v1/auth/logout */
    logout: () => apiCall<void>('POST', `/api/v1/auth/logout`),
    /** GET /api/v1/me */
    me: () => apiCall<Answer<paths['/api/v1/me']['get']>>('GET', `/api/v1/me`),
    /** PUT /api/v1/me/password */
    changePassword: (body: JsonBody<paths['/api/v1/me/password']['put']>) =>
      apiCall<void>('PUT', `/api/v1/me/password`, { body }),
    /** GET /api/v1/tokens */
    listTokens: (query?: QueryOf<paths['/api/v1/tokens']['get']>) =>
      apiCall<Answer<paths['/api/v1/tokens']['get']>>('GET', `/api/v1/tokens`, { query }),
    /** POST /api/v1/tokens */
    createToken: (body: JsonBody<paths['/api/v1/tokens']['post']>) =>
      apiCall<Answer<paths['/api/v1/tokens']['post']>>('POST', `/api/v1/tokens`, { body }),
    /** DELETE /api/v1/tokens/{id} */
    revokeToken: (id: string) => apiCall<void>('DELETE', `/api/v1/tokens/${segment(id)}`),
  },
  accounts: {
    /** POST /api/v1/users/{id}/password */
    resetPassword: (id: string, body: JsonBody<paths['/api/v1/users/{id}/password']['post']>) =>
      apiCall<void>('POST', `/api/v1/users/${segment(id)}/password`, { body }),
    /** POST /api/v1/users/{id}/disable */
    disable: (id: string) =>
      apiCall<Answer<paths['/api/v1/users/{id}/disable']['post']>>(
        'POST',
        `/api/v1/users/${segment(id)}/disable`,
      ),
    /** POST /api/v1/users/{id}/enable */
    enable: (id: string) =>
      apiCall<Answer<paths['/api/v1/users/{id}/enable']['post']>>(
        'POST',
        `/api/v1/users/${segment(id)}/enable`,
      ),
    /** DELETE /api/v1/users/{id} */
    delete: (id: string, query?: QueryOf<paths['/api/v1/users/{id}']['delete']>) =>
      apiCall<Answer<paths['/api/v1/users/{id}']['delete']>>(
        'DELETE',
        `/api/v1/users/${segment(id)}`,
        { query },
      ),
  },
  metrics: {
    /** GET /api/v1/metrics */
    scrape: () => apiCall<string>('GET', `/api/v1/metrics`, { accept: 'text/plain' }),
  },
  jobs: {
    /** GET /api/v1/jobs */
    list: (query?: QueryOf<paths['/api/v1/jobs']['get']>) =>
      apiCall<Answer<paths['/api/v1/jobs']['get']>>('GET', `/api/v1/jobs`, { query }),
    /** GET /api/v1/jobs/{id} */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/jobs/{id}']['get']>>('GET', `/api/v1/jobs/${segment(id)}`),
  },
  hosts: {
    /** GET /api/v1/hosts */
    list: (query?: QueryOf<paths['/api/v1/hosts']['get']>) =>
      apiCall<Answer<paths['/api/v1/hosts']['get']>>('GET', `/api/v1/hosts`, { query }),
    /** POST /api/v1/hosts */
    create: (body: JsonBody<paths['/api/v1/hosts']['post']>) =>
      apiCall<Answer<paths['/api/v1/hosts']['post']>>('POST', `/api/v1/hosts`, { body }),
    /** PATCH /api/v1/hosts/{id} */
    update: (id: string, body: JsonBody<paths['/api/v1/hosts/{id}']['patch']>) =>
      apiCall<Answer<paths['/api/v1/hosts/{id}']['patch']>>(
        'PATCH',
        `/api/v1/hosts/${segment(id)}`,
        { body },
      ),
  },
  templates: {
    /** GET /api/v1/templates */
    list: (query?: QueryOf<paths['/api/v1/templates']['get']>) =>
      apiCall<Answer<paths['/api/v1/templates']['get']>>('GET', `/api/v1/templates`, { query }),
    /** POST /api/v1/templates */
    create: (body: JsonBody<paths['/api/v1/templates']['post']>) =>
      apiCall<Answer<paths['/api/v1/templates']['post']>>('POST', `/api/v1/templates`, { body }),
    /** GET /api/v1/templates/{id} */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/templates/{id}']['get']>>(
        'GET',
        `/api/v1/templates/${segment(id)}`,
      ),
    /** PATCH /api/v1/templates/{id} */
    update: (id: string, body: JsonBody<paths['/api/v1/templates/{id}']['patch']>) =>
      apiCall<Answer<paths['/api/v1/templates/{id}']['patch']>>(
        'PATCH',
        `/api/v1/templates/${segment(id)}`,
        { body },
      ),
    /** POST /api/v1/templates/{id}/refresh */
    refresh: (id: string) =>
      apiCall<Answer<paths['/api/v1/templates/{id}/refresh']['post']>>(
        'POST',
        `/api/v1/templates/${segment(id)}/refresh`,
      ),
  },
  templateHosts: {
    /** POST /api/v1/templates/{id}/hosts */
    add: (id: string, body: JsonBody<paths['/api/v1/templates/{id}/hosts']['post']>) =>
      apiCall<Answer<paths['/api/v1/templates/{id}/hosts']['post']>>(
        'POST',
        `/api/v1/templates/${segment(id)}/hosts`,
        { body },
      ),
    /** DELETE /api/v1/templates/{id}/hosts/{hostId} */
    remove: (id: string, hostId: string) =>
      apiCall<Answer<paths['/api/v1/templates/{id}/hosts/{hostId}']['delete']>>(
        'DELETE',
        `/api/v1/templates/${segment(id)}/hosts/${segment(hostId)}`,
      ),
  },
  moves: {
    /** POST /api/v1/containers/{id}/move */
    move: (id: string, body: JsonBody<paths['/api/v1/containers/{id}/move']['post']>) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/move']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/move`,
        { body },
      ),
    /** POST /api/v1/hosts/{id}/drain */
    drain: (id: string) =>
      apiCall<Answer<paths['/api/v1/hosts/{id}/drain']['post']>>(
        'POST',
        `/api/v1/hosts/${segment(id)}/drain`,
      ),
    /** DELETE /api/v1/hosts/{id}/drain */
    endDrain: (id: string) => apiCall<void>('DELETE', `/api/v1/hosts/${segment(id)}/drain`),
  },
  containers: {
    /** GET /api/v1/containers */
    list: (query?: QueryOf<paths['/api/v1/containers']['get']>) =>
      apiCall<Answer<paths['/api/v1/containers']['get']>>('GET', `/api/v1/containers`, { query }),
    /** POST /api/v1/containers */
    create: (body: JsonBody<paths['/api/v1/containers']['post']>) =>
      apiCall<Answer<paths['/api/v1/containers']['post']>>('POST', `/api/v1/containers`, { body }),
    /** GET /api/v1/containers/{id} */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}']['get']>>(
        'GET',
        `/api/v1/containers/${segment(id)}`,
      ),
    /** PATCH /api/v1/containers/{id} */
    update: (id: string, body: JsonBody<paths['/api/v1/containers/{id}']['patch']>) =>
      apiCall<Answer<paths['/api/v1/containers/{id}']['patch']>>(
        'PATCH',
        `/api/v1/containers/${segment(id)}`,
        { body },
      ),
    /** DELETE /api/v1/containers/{id} */
    delete: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}']['delete']>>(
        'DELETE',
        `/api/v1/containers/${segment(id)}`,
      ),
    /** POST /api/v1/containers/{id}/refresh */
    refresh: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/refresh']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/refresh`,
      ),
    /** POST /api/v1/containers/{id}/undo */
    undo: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/undo']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/undo`,
      ),
    /** POST /api/v1/containers/{id}/start */
    start: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/start']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/start`,
      ),
    /** POST /api/v1/containers/{id}/stop */
    stop: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/stop']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/stop`,
      ),
    /** GET /api/v1/containers/{id}/settings */
    getSettings: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/settings']['get']>>(
        'GET',
        `/api/v1/containers/${segment(id)}/settings`,
      ),
    /** PATCH /api/v1/containers/{id}/settings */
    updateSettings: (
      id: string,
      body: JsonBody<paths['/api/v1/containers/{id}/settings']['patch']>,
    ) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/settings']['patch']>>(
        'PATCH',
        `/api/v1/containers/${segment(id)}/settings`,
        { body },
      ),
    /** POST /api/v1/containers/{id}/credentials/rotate */
    rotateCredentials: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/credentials/rotate']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/credentials/rotate`,
      ),
    /** GET /api/v1/containers/{id}/ca-certificate */
    caCertificate: (id: string) =>
      apiCall<string>('GET', `/api/v1/containers/${segment(id)}/ca-certificate`, {
        accept: 'application/x-pem-file',
      }),
    /** POST /api/v1/containers/{id}/lock */
    lock: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/lock']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/lock`,
      ),
    /** POST /api/v1/containers/{id}/unlock */
    unlock: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/unlock']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/unlock`,
      ),
    /** POST /api/v1/containers/{id}/owners */
    addOwner: (id: string, body: JsonBody<paths['/api/v1/containers/{id}/owners']['post']>) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/owners']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/owners`,
        { body },
      ),
    /** DELETE /api/v1/containers/{id}/owners/{userId} */
    removeOwner: (id: string, userId: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/owners/{userId}']['delete']>>(
        'DELETE',
        `/api/v1/containers/${segment(id)}/owners/${segment(userId)}`,
      ),
  },
  placement: {
    /** GET /api/v1/templates/{id}/placement */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/templates/{id}/placement']['get']>>(
        'GET',
        `/api/v1/templates/${segment(id)}/placement`,
      ),
    /** PUT /api/v1/templates/{id}/placement */
    pin: (id: string, body: JsonBody<paths['/api/v1/templates/{id}/placement']['put']>) =>
      apiCall<Answer<paths['/api/v1/templates/{id}/placement']['put']>>(
        'PUT',
        `/api/v1/templates/${segment(id)}/placement`,
        { body },
      ),
  },
  branches: {
    /** GET /api/v1/containers/{id}/branches */
    list: (id: string, query?: QueryOf<paths['/api/v1/containers/{id}/branches']['get']>) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/branches']['get']>>(
        'GET',
        `/api/v1/containers/${segment(id)}/branches`,
        { query },
      ),
    /** POST /api/v1/containers/{id}/branches */
    create: (id: string, body: JsonBody<paths['/api/v1/containers/{id}/branches']['post']>) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/branches']['post']>>(
        'POST',
        `/api/v1/containers/${segment(id)}/branches`,
        { body },
      ),
    /** POST /api/v1/branches/{id}/activate */
    activate: (id: string) =>
      apiCall<Answer<paths['/api/v1/branches/{id}/activate']['post']>>(
        'POST',
        `/api/v1/branches/${segment(id)}/activate`,
      ),
    /** PATCH /api/v1/branches/{id} */
    update: (id: string, body: JsonBody<paths['/api/v1/branches/{id}']['patch']>) =>
      apiCall<Answer<paths['/api/v1/branches/{id}']['patch']>>(
        'PATCH',
        `/api/v1/branches/${segment(id)}`,
        { body },
      ),
    /** DELETE /api/v1/branches/{id} */
    delete: (id: string) =>
      apiCall<Answer<paths['/api/v1/branches/{id}']['delete']>>(
        'DELETE',
        `/api/v1/branches/${segment(id)}`,
      ),
    /** GET /api/v1/branches/{id}/timeline */
    timeline: (id: string, query?: QueryOf<paths['/api/v1/branches/{id}/timeline']['get']>) =>
      apiCall<Answer<paths['/api/v1/branches/{id}/timeline']['get']>>(
        'GET',
        `/api/v1/branches/${segment(id)}/timeline`,
        { query },
      ),
    /** POST /api/v1/branches/{id}/restore */
    restore: (id: string, body: JsonBody<paths['/api/v1/branches/{id}/restore']['post']>) =>
      apiCall<Answer<paths['/api/v1/branches/{id}/restore']['post']>>(
        'POST',
        `/api/v1/branches/${segment(id)}/restore`,
        { body },
      ),
    /** POST /api/v1/branches/{id}/reset */
    reset: (id: string) =>
      apiCall<Answer<paths['/api/v1/branches/{id}/reset']['post']>>(
        'POST',
        `/api/v1/branches/${segment(id)}/reset`,
      ),
  },
  bookmarks: {
    /** POST /api/v1/branches/{id}/bookmarks */
    create: (id: string, body: JsonBody<paths['/api/v1/branches/{id}/bookmarks']['post']>) =>
      apiCall<Answer<paths['/api/v1/branches/{id}/bookmarks']['post']>>(
        'POST',
        `/api/v1/branches/${segment(id)}/bookmarks`,
        { body },
      ),
    /** GET /api/v1/bookmarks */
    list: (query?: QueryOf<paths['/api/v1/bookmarks']['get']>) =>
      apiCall<Answer<paths['/api/v1/bookmarks']['get']>>('GET', `/api/v1/bookmarks`, { query }),
    /** GET /api/v1/bookmarks/{id} */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/bookmarks/{id}']['get']>>(
        'GET',
        `/api/v1/bookmarks/${segment(id)}`,
      ),
    /** PATCH /api/v1/bookmarks/{id} */
    update: (id: string, body: JsonBody<paths['/api/v1/bookmarks/{id}']['patch']>) =>
      apiCall<Answer<paths['/api/v1/bookmarks/{id}']['patch']>>(
        'PATCH',
        `/api/v1/bookmarks/${segment(id)}`,
        { body },
      ),
    /** DELETE /api/v1/bookmarks/{id} */
    delete: (id: string) => apiCall<void>('DELETE', `/api/v1/bookmarks/${segment(id)}`),
    /** POST /api/v1/bookmarks/{id}/share */
    share: (id: string, body: JsonBody<paths['/api/v1/bookmarks/{id}/share']['post']>) =>
      apiCall<Answer<paths['/api/v1/bookmarks/{id}/share']['post']>>(
        'POST',
        `/api/v1/bookmarks/${segment(id)}/share`,
        { body },
      ),
    /** DELETE /api/v1/bookmarks/{id}/share */
    unshare: (id: string) =>
      apiCall<Answer<paths['/api/v1/bookmarks/{id}/share']['delete']>>(
        'DELETE',
        `/api/v1/bookmarks/${segment(id)}/share`,
      ),
  },
  previews: {
    /** GET /api/v1/previews */
    list: (query?: QueryOf<paths['/api/v1/previews']['get']>) =>
      apiCall<Answer<paths['/api/v1/previews']['get']>>('GET', `/api/v1/previews`, { query }),
    /** POST /api/v1/previews */
    create: (body: JsonBody<paths['/api/v1/previews']['post']>) =>
      apiCall<Answer<paths['/api/v1/previews']['post']>>('POST', `/api/v1/previews`, { body }),
    /** GET /api/v1/previews/{id} */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/previews/{id}']['get']>>(
        'GET',
        `/api/v1/previews/${segment(id)}`,
      ),
    /** DELETE /api/v1/previews/{id} */
    delete: (id: string) => apiCall<void>('DELETE', `/api/v1/previews/${segment(id)}`),
    /** GET /api/v1/previews/{id}/tables */
    tables: (id: string) =>
      apiCall<Answer<paths['/api/v1/previews/{id}/tables']['get']>>(
        'GET',
        `/api/v1/previews/${segment(id)}/tables`,
      ),
    /** GET /api/v1/previews/{id}/tables/{name}/rows */
    rows: (
      id: string,
      name: string,
      query?: QueryOf<paths['/api/v1/previews/{id}/tables/{name}/rows']['get']>,
    ) =>
      apiCall<Answer<paths['/api/v1/previews/{id}/tables/{name}/rows']['get']>>(
        'GET',
        `/api/v1/previews/${segment(id)}/tables/${segment(name)}/rows`,
        { query },
      ),
  },
  diffs: {
    /** POST /api/v1/diffs */
    create: (body: JsonBody<paths['/api/v1/diffs']['post']>) =>
      apiCall<Answer<paths['/api/v1/diffs']['post']>>('POST', `/api/v1/diffs`, { body }),
    /** GET /api/v1/diffs/{id} */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/diffs/{id}']['get']>>('GET', `/api/v1/diffs/${segment(id)}`),
    /** DELETE /api/v1/diffs/{id} */
    delete: (id: string) => apiCall<void>('DELETE', `/api/v1/diffs/${segment(id)}`),
  },
  rebases: {
    /** POST /api/v1/branches/{id}/rebase */
    create: (id: string, body: JsonBody<paths['/api/v1/branches/{id}/rebase']['post']>) =>
      apiCall<Answer<paths['/api/v1/branches/{id}/rebase']['post']>>(
        'POST',
        `/api/v1/branches/${segment(id)}/rebase`,
        { body },
      ),
    /** GET /api/v1/rebases/{id} */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/rebases/{id}']['get']>>(
        'GET',
        `/api/v1/rebases/${segment(id)}`,
      ),
    /** DELETE /api/v1/rebases/{id} */
    delete: (id: string) => apiCall<void>('DELETE', `/api/v1/rebases/${segment(id)}`),
  },
  usage: {
    /** GET /api/v1/usage */
    get: () => apiCall<Answer<paths['/api/v1/usage']['get']>>('GET', `/api/v1/usage`),
  },
  reconciliation: {
    /** GET /api/v1/reconciliation */
    reports: () =>
      apiCall<Answer<paths['/api/v1/reconciliation']['get']>>('GET', `/api/v1/reconciliation`),
    /** POST /api/v1/reconciliation */
    run: () =>
      apiCall<Answer<paths['/api/v1/reconciliation']['post']>>('POST', `/api/v1/reconciliation`),
    /** GET /api/v1/reconciliation/orphans */
    orphans: () =>
      apiCall<Answer<paths['/api/v1/reconciliation/orphans']['get']>>(
        'GET',
        `/api/v1/reconciliation/orphans`,
      ),
    /** POST /api/v1/reconciliation/orphans/destroy */
    destroy: (body: JsonBody<paths['/api/v1/reconciliation/orphans/destroy']['post']>) =>
      apiCall<Answer<paths['/api/v1/reconciliation/orphans/destroy']['post']>>(
        'POST',
        `/api/v1/reconciliation/orphans/destroy`,
        { body },
      ),
  },
  recovery: {
    /** POST /api/v1/recovery */
    recover: (body: JsonBody<paths['/api/v1/recovery']['post']>) =>
      apiCall<Answer<paths['/api/v1/recovery']['post']>>('POST', `/api/v1/recovery`, { body }),
  },
  webhooks: {
    /** GET /api/v1/webhooks */
    list: (query?: QueryOf<paths['/api/v1/webhooks']['get']>) =>
      apiCall<Answer<paths['/api/v1/webhooks']['get']>>('GET', `/api/v1/webhooks`, { query }),
    /** POST /api/v1/webhooks */
    create: (body: JsonBody<paths['/api/v1/webhooks']['post']>) =>
      apiCall<Answer<paths['/api/v1/webhooks']['post']>>('POST', `/api/v1/webhooks`, { body }),
    /** DELETE /api/v1/webhooks/{id} */
    delete: (id: string) => apiCall<void>('DELETE', `/api/v1/webhooks/${segment(id)}`),
    /** GET /api/v1/webhooks/{id}/deliveries */
    deliveries: (id: string, query?: QueryOf<paths['/api/v1/webhooks/{id}/deliveries']['get']>) =>
      apiCall<Answer<paths['/api/v1/webhooks/{id}/deliveries']['get']>>(
        'GET',
        `/api/v1/webhooks/${segment(id)}/deliveries`,
        { query },
      ),
  },
  settings: {
    /** GET /api/v1/settings/expiry */
    getExpiry: () =>
      apiCall<Answer<paths['/api/v1/settings/expiry']['get']>>('GET', `/api/v1/settings/expiry`),
    /** PUT /api/v1/settings/expiry */
    putExpiry: (body: JsonBody<paths['/api/v1/settings/expiry']['put']>) =>
      apiCall<Answer<paths['/api/v1/settings/expiry']['put']>>('PUT', `/api/v1/settings/expiry`, {
        body,
      }),
  },
  quotas: {
    /** GET /api/v1/settings/quotas */
    getDefaults: () =>
      apiCall<Answer<paths['/api/v1/settings/quotas']['get']>>('GET', `/api/v1/settings/quotas`),
    /** PUT /api/v1/settings/quotas */
    putDefaults: (body: JsonBody<paths['/api/v1/settings/quotas']['put']>) =>
      apiCall<Answer<paths['/api/v1/settings/quotas']['put']>>('PUT', `/api/v1/settings/quotas`, {
        body,
      }),
    /** GET /api/v1/users/{id}/quotas */
    getOfUser: (id: string) =>
      apiCall<Answer<paths['/api/v1/users/{id}/quotas']['get']>>(
        'GET',
        `/api/v1/users/${segment(id)}/quotas`,
      ),
    /** PUT /api/v1/users/{id}/quotas */
    putOfUser: (id: string, body: JsonBody<paths['/api/v1/users/{id}/quotas']['put']>) =>
      apiCall<Answer<paths['/api/v1/users/{id}/quotas']['put']>>(
        'PUT',
        `/api/v1/users/${segment(id)}/quotas`,
        { body },
      ),
  },
  sso: {
    /** GET /api/v1/auth/sso */
    status: () => apiCall<Answer<paths['/api/v1/auth/sso']['get']>>('GET', `/api/v1/auth/sso`),
    /** GET /api/v1/auth/sso/start */
    start: (query?: QueryOf<paths['/api/v1/auth/sso/start']['get']>) =>
      apiCall<void>('GET', `/api/v1/auth/sso/start`, { query }),
    /** GET /api/v1/auth/sso/callback */
    callback: () => apiCall<void>('GET', `/api/v1/auth/sso/callback`),
    /** POST /api/v1/auth/sso/session */
    exchange: (body: JsonBody<paths['/api/v1/auth/sso/session']['post']>) =>
      apiCall<Answer<paths['/api/v1/auth/sso/session']['post']>>(
        'POST',
        `/api/v1/auth/sso/session`,
        { body },
      ),
  },
  schedules: {
    /** GET /api/v1/containers/{id}/schedule */
    getForContainer: (id: string) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/schedule']['get']>>(
        'GET',
        `/api/v1/containers/${segment(id)}/schedule`,
      ),
    /** PUT /api/v1/containers/{id}/schedule */
    putForContainer: (
      id: string,
      body: JsonBody<paths['/api/v1/containers/{id}/schedule']['put']>,
    ) =>
      apiCall<Answer<paths['/api/v1/containers/{id}/schedule']['put']>>(
        'PUT',
        `/api/v1/containers/${segment(id)}/schedule`,
        { body },
      ),
    /** DELETE /api/v1/containers/{id}/schedule */
    deleteForContainer: (id: string) =>
      apiCall<void>('DELETE', `/api/v1/containers/${segment(id)}/schedule`),
    /** GET /api/v1/me/schedule */
    getForUser: () =>
      apiCall<Answer<paths['/api/v1/me/schedule']['get']>>('GET', `/api/v1/me/schedule`),
    /** PUT /api/v1/me/schedule */
    putForUser: (body: JsonBody<paths['/api/v1/me/schedule']['put']>) =>
      apiCall<Answer<paths['/api/v1/me/schedule']['put']>>('PUT', `/api/v1/me/schedule`, { body }),
    /** DELETE /api/v1/me/schedule */
    deleteForUser: () => apiCall<void>('DELETE', `/api/v1/me/schedule`),
  },
  pullRequestConfigs: {
    /** GET /api/v1/templates/{id}/pull-request-configs */
    list: (
      id: string,
      query?: QueryOf<paths['/api/v1/templates/{id}/pull-request-configs']['get']>,
    ) =>
      apiCall<Answer<paths['/api/v1/templates/{id}/pull-request-configs']['get']>>(
        'GET',
        `/api/v1/templates/${segment(id)}/pull-request-configs`,
        { query },
      ),
    /** POST /api/v1/templates/{id}/pull-request-configs */
    create: (
      id: string,
      body: JsonBody<paths['/api/v1/templates/{id}/pull-request-configs']['post']>,
    ) =>
      apiCall<Answer<paths['/api/v1/templates/{id}/pull-request-configs']['post']>>(
        'POST',
        `/api/v1/templates/${segment(id)}/pull-request-configs`,
        { body },
      ),
    /** GET /api/v1/pull-request-configs/{id} */
    get: (id: string) =>
      apiCall<Answer<paths['/api/v1/pull-request-configs/{id}']['get']>>(
        'GET',
        `/api/v1/pull-request-configs/${segment(id)}`,
      ),
    /** PATCH /api/v1/pull-request-configs/{id} */
    update: (id: string, body: JsonBody<paths['/api/v1/pull-request-configs/{id}']['patch']>) =>
      apiCall<Answer<paths['/api/v1/pull-request-configs/{id}']['patch']>>(
        'PATCH',
        `/api/v1/pull-request-configs/${segment(id)}`,
        { body },
      ),
    /** DELETE /api/v1/pull-request-configs/{id} */
    delete: (id: string) => apiCall<void>('DELETE', `/api/v1/pull-request-configs/${segment(id)}`),
    /** GET /api/v1/pull-request-configs/{id}/events */
    events: (
      id: string,
      query?: QueryOf<paths['/api/v1/pull-request-configs/{id}/events']['get']>,
    ) =>
      apiCall<Answer<paths['/api/v1/pull-request-configs/{id}/events']['get']>>(
        'GET',
        `/api/v1/pull-request-configs/${segment(id)}/events`,
        { query },
      ),
  },
  forgeWebhooks: {
    /** POST /api/v1/forge/github/{configId} */
    github: (configId: string) =>
      apiCall<Answer<paths['/api/v1/forge/github/{configId}']['post']>>(
        'POST',
        `/api/v1/forge/github/${segment(configId)}`,
      ),
    /** POST /api/v1/forge/gitlab/{configId} */
    gitlab: (configId: string) =>
      apiCall<Answer<paths['/api/v1/forge/gitlab/{configId}']['post']>>(
        'POST',
        `/api/v1/forge/gitlab/${segment(configId)}`,
      ),
  },
  outbound: {
    /** GET /api/v1/settings/outbound */
    list: (query?: QueryOf<paths['/api/v1/settings/outbound']['get']>) =>
      apiCall<Answer<paths['/api/v1/settings/outbound']['get']>>(
        'GET',
        `/api/v1/settings/outbound`,
        { query },
      ),
    /** POST /api/v1/settings/outbound */
    add: (body: JsonBody<paths['/api/v1/settings/outbound']['post']>) =>
      apiCall<Answer<paths['/api/v1/settings/outbound']['post']>>(
        'POST',
        `/api/v1/settings/outbound`,
        { body },
      ),
    /** DELETE /api/v1/settings/outbound/{id} */
    remove: (id: string) => apiCall<void>('DELETE', `/api/v1/settings/outbound/${segment(id)}`),
  },
} as const;
