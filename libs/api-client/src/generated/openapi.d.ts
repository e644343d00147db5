/**
 * Generated from docs/openapi.json by `npm run generate -w @branchpoint/api-client`.
 * Do not edit.
 */

export interface paths {
  '/api/v1/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HealthController_health'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AuditController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['UsersController_list'];
    put?: never;
    post: operations['UsersController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AuthController_login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AuthController_refresh'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AuthController_logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AuthController_me'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['AuthController_changePassword'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['AuthController_listTokens'];
    put?: never;
    post: operations['AuthController_createToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tokens/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['AuthController_revokeToken'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AccountsController_resetPassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/disable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AccountsController_disable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['AccountsController_enable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['AccountsController_delete'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['MetricsController_scrape'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/jobs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['JobsController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/jobs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['JobsController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hosts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['HostsController_list'];
    put?: never;
    post: operations['HostsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hosts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['HostsController_update'];
    trace?: never;
  };
  '/api/v1/templates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TemplatesController_list'];
    put?: never;
    post: operations['TemplatesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/templates/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['TemplatesController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['TemplatesController_update'];
    trace?: never;
  };
  '/api/v1/templates/{id}/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['TemplatesController_refresh'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/templates/{id}/hosts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['TemplateHostsController_add'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/templates/{id}/hosts/{hostId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['TemplateHostsController_remove'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/move': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['MovesController_move'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/hosts/{id}/drain': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['MovesController_drain'];
    delete: operations['MovesController_endDrain'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContainersController_list'];
    put?: never;
    post: operations['ContainersController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContainersController_get'];
    put?: never;
    post?: never;
    delete: operations['ContainersController_delete'];
    options?: never;
    head?: never;
    patch: operations['ContainersController_update'];
    trace?: never;
  };
  '/api/v1/containers/{id}/refresh': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContainersController_refresh'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/undo': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContainersController_undo'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContainersController_start'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/stop': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContainersController_stop'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContainersController_getSettings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['ContainersController_updateSettings'];
    trace?: never;
  };
  '/api/v1/containers/{id}/credentials/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContainersController_rotateCredentials'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/ca-certificate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ContainersController_caCertificate'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/lock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContainersController_lock'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/unlock': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContainersController_unlock'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/owners': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ContainersController_addOwner'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/owners/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['ContainersController_removeOwner'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/templates/{id}/placement': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PlacementController_get'];
    put: operations['PlacementController_pin'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/branches': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['BranchesController_list'];
    put?: never;
    post: operations['BranchesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/branches/{id}/activate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['BranchesController_activate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/branches/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['BranchesController_delete'];
    options?: never;
    head?: never;
    patch: operations['BranchesController_update'];
    trace?: never;
  };
  '/api/v1/branches/{id}/timeline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['BranchesController_timeline'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/branches/{id}/restore': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['BranchesController_restore'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/branches/{id}/reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['BranchesController_reset'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/branches/{id}/bookmarks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['BookmarksController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/bookmarks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['BookmarksController_list'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/bookmarks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['BookmarksController_get'];
    put?: never;
    post?: never;
    delete: operations['BookmarksController_delete'];
    options?: never;
    head?: never;
    patch: operations['BookmarksController_update'];
    trace?: never;
  };
  '/api/v1/bookmarks/{id}/share': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['BookmarksController_share'];
    delete: operations['BookmarksController_unshare'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/previews': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PreviewsController_list'];
    put?: never;
    post: operations['PreviewsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/previews/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PreviewsController_get'];
    put?: never;
    post?: never;
    delete: operations['PreviewsController_delete'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/previews/{id}/tables': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PreviewsController_tables'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/previews/{id}/tables/{name}/rows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PreviewsController_rows'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/diffs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['DiffsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/diffs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['DiffsController_get'];
    put?: never;
    post?: never;
    delete: operations['DiffsController_delete'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/branches/{id}/rebase': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['RebasesController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/rebases/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['RebasesController_get'];
    put?: never;
    post?: never;
    delete: operations['RebasesController_delete'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['UsageController_get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reconciliation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ReconciliationController_reports'];
    put?: never;
    post: operations['ReconciliationController_run'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reconciliation/orphans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ReconciliationController_orphans'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/reconciliation/orphans/destroy': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ReconciliationController_destroy'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/recovery': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['RecoveryController_recover'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['WebhooksController_list'];
    put?: never;
    post: operations['WebhooksController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['WebhooksController_delete'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['WebhooksController_deliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/settings/expiry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SettingsController_getExpiry'];
    put: operations['SettingsController_putExpiry'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/settings/quotas': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['QuotasController_getDefaults'];
    put: operations['QuotasController_putDefaults'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/users/{id}/quotas': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['QuotasController_getOfUser'];
    put: operations['QuotasController_putOfUser'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/sso': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SsoController_status'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/sso/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SsoController_start'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/sso/callback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SsoController_callback'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/sso/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['SsoController_exchange'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/containers/{id}/schedule': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SchedulesController_getForContainer'];
    put: operations['SchedulesController_putForContainer'];
    post?: never;
    delete: operations['SchedulesController_deleteForContainer'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/me/schedule': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['SchedulesController_getForUser'];
    put: operations['SchedulesController_putForUser'];
    post?: never;
    delete: operations['SchedulesController_deleteForUser'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/templates/{id}/pull-request-configs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PullRequestConfigsController_list'];
    put?: never;
    post: operations['PullRequestConfigsController_create'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/pull-request-configs/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PullRequestConfigsController_get'];
    put?: never;
    post?: never;
    delete: operations['PullRequestConfigsController_delete'];
    options?: never;
    head?: never;
    patch: operations['PullRequestConfigsController_update'];
    trace?: never;
  };
  '/api/v1/pull-request-configs/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['PullRequestConfigsController_events'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/forge/github/{configId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ForgeWebhooksController_github'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/forge/gitlab/{configId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['ForgeWebhooksController_gitlab'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/settings/outbound': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['OutboundController_list'];
    put?: never;
    post: operations['OutboundController_add'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/settings/outbound/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['OutboundController_remove'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    HealthDto: {
      /** @example true */
      ok: boolean;
    };
    AuditEventDto: {
      id: string;
      userId: string | null;
      /** @example container.create */
      action: string;
      entityType: string;
      entityId: string | null;
      details: {
        [key: string]: unknown;
      };
      /** Format: date-time */
      createdAt: string;
    };
    CreateUserDto: {
      /** @example alice */
      username: string;
      /** @description At least 12 characters, not a commonly used password, not containing the username */
      password: string;
      /** @enum {string} */
      role: 'admin' | 'user';
    };
    UserDto: {
      id: string;
      username: string;
      /** @enum {string} */
      role: 'admin' | 'user';
      /** Format: date-time */
      createdAt: string;
      /** @description A disabled user cannot sign in */
      disabled: boolean;
      /** @description Signs in through single sign-on; has no local password */
      sso: boolean;
    };
    LoginDto: {
      /** @example admin */
      username: string;
      password: string;
    };
    SessionTokensDto: {
      /** @description Bearer token for the API and the socket */
      accessToken: string;
      /** @description Seconds until the access token expires */
      expiresIn: number;
      /** @description Renews the access token once (POST /auth/refresh answers a new one); keep it secret */
      refreshToken: string;
      /**
       * Format: date-time
       * @description The session ends unless refreshed before this
       */
      refreshExpiresAt: string;
    };
    RefreshDto: {
      refreshToken: string;
    };
    ChangePasswordDto: {
      currentPassword: string;
      /** @description At least 12 characters, not a common password */
      newPassword: string;
    };
    CreateApiTokenDto: {
      /** @example ci-pipeline */
      name: string;
      /** @description Days until the token expires (default 90) */
      expiresInDays?: number;
    };
    CreatedApiTokenDto: {
      id: string;
      name: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      lastUsedAt: string | null;
      /** Format: date-time */
      expiresAt: string;
      /** @description The token itself; shown only in this answer */
      token: string;
    };
    ApiTokenDto: {
      id: string;
      name: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      lastUsedAt: string | null;
      /** Format: date-time */
      expiresAt: string;
    };
    SetPasswordDto: {
      /** @description The same policy as every password */
      password: string;
    };
    ContainerDeletionDto: {
      containerId: string;
      jobId: string;
    };
    DeletedUserDto: {
      /** @description Containers handed over or left to co-owners */
      keptContainerIds: string[];
      /** @description Containers being deleted (jobs) */
      deletions: components['schemas']['ContainerDeletionDto'][];
    };
    /** @enum {string} */
    JobName:
      | 'ingest-template-version'
      | 'create-container'
      | 'delete-container'
      | 'create-branch'
      | 'activate-branch'
      | 'delete-branch'
      | 'create-bookmark'
      | 'restore-branch'
      | 'reset-branch'
      | 'undo-container'
      | 'refresh-container'
      | 'start-container'
      | 'stop-container'
      | 'update-container-settings'
      | 'rotate-container-password'
      | 'destroy-orphans'
      | 'replicate-template'
      | 'remove-template-host'
      | 'create-preview'
      | 'compute-diff'
      | 'rebase-branch'
      | 'move-container';
    JobDto: {
      id: string;
      type: components['schemas']['JobName'];
      containerId: string | null;
      /** @enum {string} */
      state: 'queued' | 'running' | 'succeeded' | 'failed';
      progress: number;
      error?: string;
      result?: {
        [key: string]: unknown;
      };
      /** @description What the job did, oldest first: its steps and the output of template hooks it ran. At most 1000 lines and 64 KiB; past that the last line is "… truncated". */
      log: string[];
      createdAt: string;
      startedAt: string | null;
      finishedAt: string | null;
    };
    CreateHostDto: {
      /** @example zfs-1 */
      name: string;
      /** @example https://10.0.0.5:7070 */
      url: string;
      /** @description The agent's bearer token (BP_AGENT_TOKEN); stored, never shown again */
      token: string;
      /**
       * @description SHA-256 of the agent's certificate, as its start-up line prints it. Given, the agent must present it (else 400); left out, the certificate the agent presents now is pinned (trust on first use)
       * @example 2F:0A:38:93:46:4A:B0:3F:B5:A3:2A:B9:F9:C8:0D:81:6B:71:96:20:8E:CB:43:DF:89:85:EE:7A:5C:5B:CF:97
       */
      fingerprint?: string;
    };
    HostCapacityDto: {
      pool: string;
      sizeBytes: number;
      freeBytes: number;
      usedBytes: number;
      health: string;
      runningInstances: number;
    };
    HostDto: {
      id: string;
      name: string;
      /** @description The agent's address. Admins only (left out for other users). */
      url?: string;
      /**
       * @description The pinned SHA-256 of the agent's certificate; null for a host registered before agents spoke HTTPS, until it is edited. Admins only (left out for other users).
       * @example 2F:0A:38:93:46:4A:B0:3F:B5:A3:2A:B9:F9:C8:0D:81:6B:71:96:20:8E:CB:43:DF:89:85:EE:7A:5C:5B:CF:97
       */
      certificateFingerprint?: string | null;
      /** @description The agent's own identity (one agent is one host); null until it first answers. Admins only (left out for other users). */
      agentId?: string | null;
      /** @enum {string} */
      status: 'unknown' | 'up' | 'down';
      /** @description Being drained: it takes no new containers */
      draining: boolean;
      capacity: components['schemas']['HostCapacityDto'] | null;
      /** @description Why the agent did not answer (it names addresses of the internal network). Admins only (left out for other users). */
      lastError?: string | null;
      /** Format: date-time */
      checkedAt: string | null;
    };
    UpdateHostDto: {
      /** @example https://10.0.0.5:7070 */
      url?: string;
      /** @description The agent's bearer token (BP_AGENT_TOKEN); stored, never shown again */
      token?: string;
      /**
       * @description A new SHA-256 of the agent's certificate to pin instead of the old one; the agent must present it (else 400)
       * @example 2F:0A:38:93:46:4A:B0:3F:B5:A3:2A:B9:F9:C8:0D:81:6B:71:96:20:8E:CB:43:DF:89:85:EE:7A:5C:5B:CF:97
       */
      fingerprint?: string;
    };
    TemplateSourceInputDto: {
      /** @example app-db */
      name: string;
      /**
       * @description The engine (or directory) of the source
       * @enum {string}
       */
      kind: 'postgres' | 'mariadb' | 'directory';
      /**
       * @description postgres: `postgres://…`; mariadb: `mysql://user:password@host:port/db` (the server runs on the host of the template, as mariadb-backup copies its files). Stored sealed (encrypted with BP_SECRET_KEY); its password is never shown again, the rest to admins only
       * @example postgres://user:secret@db.internal:5432/app
       */
      connectionString?: string;
      /**
       * @description directory sources: the absolute path on the host that is copied (rsync)
       * @example /srv/app/files
       */
      path?: string;
    };
    TemplateHooksDto: {
      /**
       * @description SQL run on every postgres source after each ingest and refresh, before the version is snapshotted (so clones never see what it removes): in one transaction, as a superuser, in the source database. A failing statement fails the version.
       * @example [
       *       "UPDATE customers SET email = md5(email) || '@example.invalid'"
       *     ]
       */
      afterIngest?: string[];
      /**
       * @description SQL run in each container made from the template after each start of its servers (e.g. to reset application passwords), as for afterIngest; fixed when the container is created. A failing statement fails the start.
       * @example [
       *       "UPDATE app_users SET password_hash = 'reset'"
       *     ]
       */
      afterStart?: string[];
      /**
       * @description Shell script run on every postgres source after the afterIngest SQL, before the version is snapshotted. Run by `sh -e -c` as the postgres OS user on the storage host, in an empty temporary directory, with a timeout (the agent's BP_HOOK_TIMEOUT_MS); stdout and stderr go to the job log. Environment: PGHOST, PGPORT, PGUSER, PGDATABASE (a superuser session in the source database, e.g. for `psql`), BP_SOURCE_ID, BP_SOURCE_NAME, BP_TEMPLATE_ID. A non-zero exit fails the version.
       * @example psql -v ON_ERROR_STOP=1 -c "UPDATE customers SET email = md5(email)"
       */
      afterIngestShell?: string;
      /**
       * @description Shell script run in each container made from the template after the afterStart SQL, on each start of its servers; fixed when the container is created. Run by `sh -e -c` as the postgres OS user on the storage host, in an empty temporary directory, with a timeout (the agent's BP_HOOK_TIMEOUT_MS); stdout and stderr go to the job log. Environment: PGHOST, PGPORT, PGUSER, PGDATABASE (a superuser session in the source database, e.g. for `psql`), BP_SOURCE_ID, BP_SOURCE_NAME, BP_CONTAINER_ID. A non-zero exit fails the start.
       * @example psql -v ON_ERROR_STOP=1 -c "ALTER ROLE app PASSWORD 'dev'"
       */
      afterStartShell?: string;
    };
    CreateTemplateDto: {
      /** @description The container's owner role (`branchpoint`) is a database superuser. Only admins may turn it on; off (the default), the owner owns the databases and their objects and has pg_monitor, pg_read_all_stats and pg_signal_backend. */
      ownerSuperuser?: boolean;
      /**
       * @description Roles copied from the source that may still log in to the clones, with the container's password; every other source role is NOLOGIN.
       * @example [
       *       "app"
       *     ]
       */
      keepRoles?: string[];
      /** @example app */
      name: string;
      hostId: string;
      sources: components['schemas']['TemplateSourceInputDto'][];
      hooks?: components['schemas']['TemplateHooksDto'];
    };
    AcceptedJobDto: {
      jobId: string;
      /** @description Id of the resource the job creates */
      id?: string;
    };
    TemplateHostDto: {
      hostId: string;
      /** @description The host the template is ingested on (`hostId` of the template) */
      origin: boolean;
      /**
       * @description The newest version the host holds; null before the first one arrived
       * @example v3
       */
      version: string | null;
      /**
       * @description ready: containers can be made there; replicating: a version is on its way (the host serves `version`, if any); failed: the last send failed (`error`); removing: its copy is being destroyed
       * @enum {string}
       */
      state: 'replicating' | 'ready' | 'failed' | 'removing';
      /** @description Why the last send failed (admins only) */
      error?: string | null;
    };
    TemplateSourceDto: {
      id: string;
      name: string;
      /**
       * @description The engine (or directory) of the source
       * @enum {string}
       */
      kind: 'postgres' | 'mariadb' | 'directory';
      /**
       * @description Where the source is, without its password (never shown again); a directory's path. Admins only (left out for other users).
       * @example postgres://user@db.internal:5432/app
       */
      connectionString?: string;
    };
    TemplateVersionDto: {
      id: string;
      /** @example v1 */
      version: string;
      /** @enum {string} */
      state: 'ingesting' | 'ready' | 'failed';
      /** @description Why the ingest failed (it may name the source's host and roles). Admins only (left out for other users). */
      error?: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    TemplateDto: {
      id: string;
      name: string;
      /** @description The origin host: where the sources are ingested */
      hostId: string;
      /** @description Every host the template is available on, the origin first (`POST /templates/:id/hosts` adds one) */
      hosts: components['schemas']['TemplateHostDto'][];
      sources: components['schemas']['TemplateSourceDto'][];
      /** @description Newest ready version */
      latestVersion: components['schemas']['TemplateVersionDto'] | null;
      /** @description Whether containers made from it get a superuser owner role */
      ownerSuperuser: boolean;
      /** @description Source roles that keep their login on the clones */
      keepRoles: string[];
      /** Format: date-time */
      createdAt: string;
    };
    TemplateDetailDto: {
      id: string;
      name: string;
      /** @description The origin host: where the sources are ingested */
      hostId: string;
      /** @description Every host the template is available on, the origin first (`POST /templates/:id/hosts` adds one) */
      hosts: components['schemas']['TemplateHostDto'][];
      sources: components['schemas']['TemplateSourceDto'][];
      /** @description Newest ready version */
      latestVersion: components['schemas']['TemplateVersionDto'] | null;
      /** @description Whether containers made from it get a superuser owner role */
      ownerSuperuser: boolean;
      /** @description Source roles that keep their login on the clones */
      keepRoles: string[];
      /** Format: date-time */
      createdAt: string;
      versions: components['schemas']['TemplateVersionDto'][];
      /** @description The masking SQL and scripts (they tell what the data hides). Admins only (left out for other users). */
      hooks?: components['schemas']['TemplateHooksDto'];
    };
    UpdateTemplateDto: {
      /** @description The container's owner role (`branchpoint`) is a database superuser. Only admins may turn it on; off (the default), the owner owns the databases and their objects and has pg_monitor, pg_read_all_stats and pg_signal_backend. */
      ownerSuperuser?: boolean;
      /**
       * @description Roles copied from the source that may still log in to the clones, with the container's password; every other source role is NOLOGIN.
       * @example [
       *       "app"
       *     ]
       */
      keepRoles?: string[];
      /** @description Replaces the hooks; used from the next refresh on */
      hooks?: components['schemas']['TemplateHooksDto'];
    };
    AddTemplateHostDto: {
      /** @description The host to make the template available on */
      hostId: string;
    };
    MoveContainerDto: {
      /** @description The host to move the container to (the template must be available there) */
      hostId: string;
    };
    DrainMoveDto: {
      containerId: string;
      name: string;
      /** @description Where placement sends it */
      hostId: string;
      jobId: string;
    };
    DrainSkipDto: {
      containerId: string;
      name: string;
      /** @description Why it stays (nowhere else to go, busy, others depend on it …) */
      reason: string;
    };
    DrainResultDto: {
      /** @description One move job per container */
      moves: components['schemas']['DrainMoveDto'][];
      skipped: components['schemas']['DrainSkipDto'][];
    };
    CreateContainerDto: {
      /**
       * @description Deleted automatically after this time (owners are warned before). Without it and expiresIn, the admins' default applies (GET /settings/expiry)
       * @example 2030-01-01T00:00:00Z
       */
      expiresAt?: string;
      /**
       * @description The expiry as a duration from now, e.g. 30m, 2h, 7d, 2w or 1h30m; not with expiresAt
       * @example 7d
       */
      expiresIn?: string;
      /** @example qa-alice */
      name: string;
      templateId: string;
      /** @description Start from this bookmark (mine or shared with me, same template) instead of the latest template version */
      fromBookmarkId?: string;
      /** @description The host to make it on, among those the template is available on (GET /templates/{id} hosts); placement chooses when absent (free pool space, memory, running servers) */
      hostId?: string;
    };
    ContainerHostDto: {
      id: string;
      /** @example local */
      name: string;
      /**
       * @description `down`: the host is down or cut off; operations answer 503 until it is back
       * @enum {string}
       */
      status: 'unknown' | 'up' | 'down';
    };
    UserRefDto: {
      id: string;
      username: string;
    };
    EndpointDto: {
      /** @example app-db */
      source: string;
      /**
       * @description The source's engine
       * @enum {string}
       */
      kind: 'postgres' | 'mariadb' | 'directory';
      /** @example 127.0.0.1 */
      host: string;
      port: number | null;
      database: string | null;
      username: string | null;
      password: string;
      /**
       * @description postgres://… or mysql://… with the password; for a directory source, the path of its copy
       * @example postgres://user:pw@127.0.0.1:55001/app
       */
      connectionString: string;
      /**
       * @description A command to paste in a shell (it asks for the password); null for directories
       * @example mariadb -h 127.0.0.1 -P 55002 -u branchpoint -p --ssl site
       */
      command: string | null;
      /** @description directory sources: where the active branch's copy is mounted on the host */
      path: string | null;
    };
    ContainerDto: {
      /** Format: date-time */
      expiresAt: string | null;
      /** @description Never warned about nor expired */
      protected: boolean;
      /** @description Why the expiry sweep keeps it although it expired (something depends on it, it is active, locked...); cleared by a new expiry or protection */
      expiryBlockedReason: string | null;
      id: string;
      name: string;
      templateId: string;
      /**
       * @description The template version the active branch's data derives from (while no branch is active yet, the version the container is being created from)
       * @example v1
       */
      templateVersion: string;
      host: components['schemas']['ContainerHostDto'];
      /** @description False while its host is down or cut off: its databases cannot be reached and operations answer 503 */
      available: boolean;
      /** @enum {string} */
      state: 'creating' | 'ready' | 'failed' | 'deleting' | 'moving';
      /**
       * @description viewer: a bookmark of it is shared with you
       * @enum {string}
       */
      access: 'owner' | 'viewer';
      /**
       * @description Whether its databases run; `idle`: stopped after BP_IDLE_STOP_MS without activity. `POST /containers/{id}/start` starts them again
       * @enum {string}
       */
      serving: 'running' | 'stopped' | 'idle';
      owners: components['schemas']['UserRefDto'][];
      activeBranchId: string | null;
      lockedBy: components['schemas']['UserRefDto'] | null;
      /** @description Owners only; empty for viewers */
      endpoints: components['schemas']['EndpointDto'][];
      /** Format: date-time */
      createdAt: string;
    };
    BranchDto: {
      /** Format: date-time */
      expiresAt: string | null;
      /** @description Never warned about nor expired */
      protected: boolean;
      /** @description Why the expiry sweep keeps it although it expired (something depends on it, it is active, locked...); cleared by a new expiry or protection */
      expiryBlockedReason: string | null;
      id: string;
      containerId: string;
      name: string;
      /** @enum {string} */
      state: 'creating' | 'ready' | 'failed' | 'deleting';
      active: boolean;
      /**
       * @description The template version its current data derives from
       * @example v1
       */
      templateVersion: string;
      originPointId: string | null;
      originBookmarkId: string | null;
      /** Format: date-time */
      createdAt: string;
    };
    ContainerDetailDto: {
      /** Format: date-time */
      expiresAt: string | null;
      /** @description Never warned about nor expired */
      protected: boolean;
      /** @description Why the expiry sweep keeps it although it expired (something depends on it, it is active, locked...); cleared by a new expiry or protection */
      expiryBlockedReason: string | null;
      id: string;
      name: string;
      templateId: string;
      /**
       * @description The template version the active branch's data derives from (while no branch is active yet, the version the container is being created from)
       * @example v1
       */
      templateVersion: string;
      host: components['schemas']['ContainerHostDto'];
      /** @description False while its host is down or cut off: its databases cannot be reached and operations answer 503 */
      available: boolean;
      /** @enum {string} */
      state: 'creating' | 'ready' | 'failed' | 'deleting' | 'moving';
      /**
       * @description viewer: a bookmark of it is shared with you
       * @enum {string}
       */
      access: 'owner' | 'viewer';
      /**
       * @description Whether its databases run; `idle`: stopped after BP_IDLE_STOP_MS without activity. `POST /containers/{id}/start` starts them again
       * @enum {string}
       */
      serving: 'running' | 'stopped' | 'idle';
      owners: components['schemas']['UserRefDto'][];
      activeBranchId: string | null;
      lockedBy: components['schemas']['UserRefDto'] | null;
      /** @description Owners only; empty for viewers */
      endpoints: components['schemas']['EndpointDto'][];
      /** Format: date-time */
      createdAt: string;
      /** @description Owners only; empty for viewers */
      branches: components['schemas']['BranchDto'][];
    };
    UpdateContainerDto: {
      /**
       * @description A new expiry; null keeps it for good (refused for non-admins under a maximum)
       * @example 2030-01-01T00:00:00Z
       */
      expiresAt?: string | null;
      /**
       * @description Extend (or shorten) in one call: the new expiry is this long from now, e.g. 30m, 2h, 7d, 2w or 1h30m; not with expiresAt
       * @example 7d
       */
      expiresIn?: string;
      /** @description Protected objects never expire (true clears expiresAt); false with no new expiry gets the default. Only admins may protect while a maximum is set */
      protected?: boolean;
      /** @example qa-alice */
      name?: string;
    };
    ServerSettingsDto: {
      /** @description The active branch, whose data holds these settings */
      branchId: string;
      /**
       * @description Parameters the owners changed, as the servers run them now
       * @example {
       *       "work_mem": "64MB"
       *     }
       */
      settings: {
        [key: string]: string;
      };
      /**
       * @description Changed parameters that wait for a restart (stop and start the container)
       * @example [
       *       "shared_buffers"
       *     ]
       */
      pendingRestart: string[];
    };
    UpdateServerSettingsDto: {
      /**
       * @description Parameter name to its new value; null resets it to the clone default. Parameters that touch files, programs, the network, logging or replication are refused.
       * @example {
       *       "work_mem": "64MB",
       *       "random_page_cost": null
       *     }
       */
      settings: {
        [key: string]: string | null;
      };
    };
    AddOwnerDto: {
      userId: string;
    };
    PlacementDto: {
      /** @description The hosts an admin pinned the template's new containers to; null: none pinned */
      pinnedHostIds: string[] | null;
      /** @description Where a new container of it may go (POST /containers hostId): the hosts it is available on, within the pin, best first for those that are up */
      hosts: components['schemas']['ContainerHostDto'][];
    };
    PinPlacementDto: {
      /** @description Host ids; null: any host the template is available on */
      hostIds: string[] | null;
    };
    CreateBranchDto: {
      /**
       * @description Deleted automatically after this time (owners are warned before). Without it and expiresIn, the admins' default applies (GET /settings/expiry)
       * @example 2030-01-01T00:00:00Z
       */
      expiresAt?: string;
      /**
       * @description The expiry as a duration from now, e.g. 30m, 2h, 7d, 2w or 1h30m; not with expiresAt
       * @example 7d
       */
      expiresIn?: string;
      /** @example bug-4711 */
      name: string;
      /** @description A bookmark of this container, or a shared bookmark of a container of the same template */
      fromBookmarkId?: string;
      /** @description A point of one of this container's branches; without either, the active branch's current data */
      fromPointId?: string;
    };
    UpdateBranchDto: {
      /**
       * @description A new expiry; null keeps it for good (refused for non-admins under a maximum)
       * @example 2030-01-01T00:00:00Z
       */
      expiresAt?: string | null;
      /**
       * @description Extend (or shorten) in one call: the new expiry is this long from now, e.g. 30m, 2h, 7d, 2w or 1h30m; not with expiresAt
       * @example 7d
       */
      expiresIn?: string;
      /** @description Protected objects never expire (true clears expiresAt); false with no new expiry gets the default. Only admins may protect while a maximum is set */
      protected?: boolean;
    };
    PointDto: {
      id: string;
      /** @enum {string} */
      type:
        'created' | 'bookmark' | 'restore' | 'reset' | 'refresh' | 'undo' | 'snapshot' | 'settings';
      /** Format: date-time */
      createdAt: string;
      bookmarkId?: string;
      /**
       * @description The template version the point's data derives from
       * @example v1
       */
      templateVersion: string;
    };
    RestoreBranchDto: {
      bookmarkId?: string;
      pointId?: string;
    };
    CreateBookmarkDto: {
      /**
       * @description Deleted automatically after this time (owners are warned before). Without it and expiresIn, the admins' default applies (GET /settings/expiry)
       * @example 2030-01-01T00:00:00Z
       */
      expiresAt?: string;
      /**
       * @description The expiry as a duration from now, e.g. 30m, 2h, 7d, 2w or 1h30m; not with expiresAt
       * @example 7d
       */
      expiresIn?: string;
      /** @example after edge case data */
      name: string;
      description?: string;
      /**
       * @example [
       *       "qa",
       *       "edge-case"
       *     ]
       */
      tags?: string[];
      /** @example BUG-4711 */
      bugRef?: string;
    };
    BookmarkDto: {
      /** Format: date-time */
      expiresAt: string | null;
      /** @description Never warned about nor expired */
      protected: boolean;
      /** @description Why the expiry sweep keeps it although it expired (something depends on it, it is active, locked...); cleared by a new expiry or protection */
      expiryBlockedReason: string | null;
      id: string;
      name: string;
      description: string | null;
      tags: string[];
      bugRef: string | null;
      /** @description Link of the bug reference: the URL itself, or the key through BP_BUG_URL_PATTERN */
      bugUrl: string | null;
      creatorId: string;
      creator: string;
      /** @enum {string} */
      visibility: 'private' | 'users' | 'everyone';
      sharedWith: string[];
      /** Format: date-time */
      createdAt: string;
      containerId: string;
      containerName: string;
      templateId: string;
      /**
       * @description The template version its data derives from
       * @example v1
       */
      templateVersion: string;
      branchId: string;
      pointId: string;
      /** @description Whether you own its container (and may change it) */
      mine: boolean;
    };
    UpdateBookmarkDto: {
      /**
       * @description A new expiry; null keeps it for good (refused for non-admins under a maximum)
       * @example 2030-01-01T00:00:00Z
       */
      expiresAt?: string | null;
      /**
       * @description Extend (or shorten) in one call: the new expiry is this long from now, e.g. 30m, 2h, 7d, 2w or 1h30m; not with expiresAt
       * @example 7d
       */
      expiresIn?: string;
      /** @description Protected objects never expire (true clears expiresAt); false with no new expiry gets the default. Only admins may protect while a maximum is set */
      protected?: boolean;
      name?: string;
      description?: string | null;
      tags?: string[];
      bugRef?: string;
    };
    ShareBookmarkDto: {
      /** @description Share with these users */
      userIds?: string[];
      /** @description Share with every user */
      everyone?: boolean;
    };
    CreatePreviewDto: {
      /** @description the bookmark to preview (or pointId) */
      bookmarkId?: string;
      /** @description the timeline point to preview (or bookmarkId) */
      pointId?: string;
      /** @default 30 */
      minutes: number;
    };
    PreviewEndpointDto: {
      source: string;
      /**
       * @description the source's engine
       * @enum {string}
       */
      kind: 'postgres' | 'mariadb' | 'directory';
      host: string;
      port: number;
      database: string | null;
      /** @description the reader role: it may read every table and change nothing */
      username: string;
      password: string;
      /** @description read-only; TLS (verify with GET /containers/:id/ca-certificate) */
      connectionString: string;
    };
    PreviewDto: {
      id: string;
      /** @enum {string} */
      state: 'creating' | 'ready' | 'failed';
      containerId: string;
      branchId: string;
      pointId: string;
      bookmarkId: string | null;
      /** @description when it is destroyed */
      expiresAt: string;
      createdAt: string;
      error: string | null;
      /** @description empty until ready */
      endpoints: components['schemas']['PreviewEndpointDto'][];
    };
    PreviewTableDto: {
      /** @description `schema.table` */
      name: string;
      rows: number;
      /** @description rows is the planner estimate (large tables are not counted) */
      estimated: boolean;
    };
    PreviewRowsDto: {
      name: string;
      columns: string[];
      /** @description the first rows in primary key order, values as JSON (long text cut, bytes as \x hex) */
      rows: unknown[][];
    };
    CreateDiffDto: {
      /** @description a bookmark, point or branch id (a branch: its data now, taken as a point first): the older side */
      from: string;
      /** @description a bookmark, point or branch id of the same template: the newer side */
      to: string;
    };
    DiffSideDto: {
      /** @description the id given (bookmark, point or branch) */
      ref: string;
      containerId: string;
      branchId: string;
      pointId: string;
      bookmarkId: string | null;
      /** @description true: a branch's head, taken as point pointId */
      snapshot?: boolean;
    };
    SchemaChangeDto: {
      /** @enum {string} */
      kind: 'table' | 'column' | 'index' | 'constraint' | 'view' | 'function';
      name: string;
      /** @enum {string} */
      change: 'added' | 'removed' | 'changed';
      /** @description definition (type, SQL) before */
      from?: string;
      /** @description definition after */
      to?: string;
    };
    ChangedColumnDto: {
      name: string;
      /** @description JSON value before */
      from: Record<string, never> | null;
      /** @description JSON value after */
      to: Record<string, never> | null;
    };
    ChangedRowDto: {
      /** @description primary key values */
      key: {
        [key: string]: unknown;
      };
      columns: components['schemas']['ChangedColumnDto'][];
    };
    TableDiffDto: {
      /** @description `schema.table` */
      name: string;
      added: number;
      removed: number;
      /** @description rows whose primary key is on both sides with other values */
      changed: number;
      /**
       * @description key: by primary key; hash: no key, a changed row counts as removed + added; table: on one side only
       * @enum {string}
       */
      matchedBy: 'key' | 'hash' | 'table';
      schema: components['schemas']['SchemaChangeDto'][];
      /** @description the first changed rows (capped) */
      changedRows: components['schemas']['ChangedRowDto'][];
    };
    DiffDto: {
      id: string;
      /** @enum {string} */
      state: 'queued' | 'running' | 'succeeded' | 'failed' | 'stopped';
      progress: number;
      from: components['schemas']['DiffSideDto'];
      to: components['schemas']['DiffSideDto'];
      /** @description tables that differ (empty until done) */
      tables: components['schemas']['TableDiffDto'][];
      /** @description views and functions */
      schema: components['schemas']['SchemaChangeDto'][];
      unchangedTables: number;
      /** @description why it failed, was refused or stopped */
      error: string | null;
      createdAt: string;
    };
    RebaseBranchDto: {
      /**
       * @description The template version to rebase onto; without it, the template's newest
       * @example v7
       */
      templateVersion?: string;
      /**
       * @description The new branch's name; without it, "<branch>-<version>"
       * @example bug-4711-v7
       */
      name?: string;
    };
    AppliedSchemaChangeDto: {
      /** @enum {string} */
      kind: 'table' | 'column' | 'index' | 'constraint' | 'view' | 'function';
      name: string;
      /** @enum {string} */
      change: 'added' | 'removed' | 'changed';
      /** @description definition (type, SQL) before */
      from?: string;
      /** @description definition after */
      to?: string;
      /** @description `schema.table`; null for others */
      table: string | null;
    };
    RebasedTableDto: {
      /** @description `schema.table` */
      name: string;
      inserted: number;
      updated: number;
      deleted: number;
      /** @description rows changed by the branch and by the new version: not applied */
      conflicts: number;
      /** @description row changes the new branch refused (listed in skipped) */
      failed: number;
    };
    RowConflictDto: {
      /** @description `schema.table` */
      table: string;
      /** @description primary key values */
      key: {
        [key: string]: unknown;
      };
      /** @description the branch's row (null: the branch deleted it) */
      branch: {
        [key: string]: unknown;
      } | null;
      /** @description the new version's row (null: not in the new version) */
      template: {
        [key: string]: unknown;
      } | null;
    };
    SkippedItemDto: {
      table: string | null;
      /** @description `rows`, or the kind of schema object (table, column, index, constraint, view, function) */
      kind: string;
      name: string;
      /** @description a row's key */
      key?: {
        [key: string]: unknown;
      };
      /** @description why it was not replayed */
      reason: string;
    };
    RebaseDto: {
      id: string;
      /** @enum {string} */
      state: 'queued' | 'running' | 'succeeded' | 'failed' | 'stopped';
      progress: number;
      containerId: string;
      /** @description the branch rebased (unchanged) */
      branchId: string;
      /** @description the new branch, from the target version, with the changes */
      newBranchId: string;
      /** @description the branch's first point, which its changes are measured from */
      basePointId: string;
      /** @description the point of the branch its changes were read from */
      headPointId: string;
      /** @example v3 */
      baseVersion: string;
      /** @example v4 */
      targetVersion: string;
      /** @description schema changes applied, in order */
      schema: components['schemas']['AppliedSchemaChangeDto'][];
      /** @description tables whose rows were replayed or conflict */
      tables: components['schemas']['RebasedTableDto'][];
      /** @description the first conflicts (all are counted) */
      conflicts: components['schemas']['RowConflictDto'][];
      conflictCount: number;
      /** @description the first things not replayed, with why */
      skipped: components['schemas']['SkippedItemDto'][];
      skippedCount: number;
      /** @description why it failed, was refused or stopped */
      error: string | null;
      createdAt: string;
    };
    UsageEntryDto: {
      id: string;
      name: string;
      /** @description Bytes the data would take as full copies (ZFS referenced) */
      logicalBytes: number;
      /** @description Bytes it takes in the pool (ZFS used) */
      physicalBytes: number;
      /** @description logical / physical; 0 when nothing is stored */
      savingsRatio: number;
    };
    QuotaUseDto: {
      /** @enum {string} */
      kind: 'containers' | 'runningServers' | 'branchesPerContainer' | 'bookmarks';
      /** @description In use now (for branches: the most in one of the containers) */
      used: number;
      /** @description The limit; null: none */
      limit: number | null;
    };
    UsageDto: {
      total: components['schemas']['UsageEntryDto'];
      users: components['schemas']['UsageEntryDto'][];
      templates: components['schemas']['UsageEntryDto'][];
      containers: components['schemas']['UsageEntryDto'][];
      /** @description Hosts whose numbers are missing (down) */
      unavailableHosts: string[];
      /** @description The caller's use of each of their quotas against its limit */
      quotas: components['schemas']['QuotaUseDto'][];
    };
    /** @enum {string} */
    DivergenceKind:
      | 'container-missing'
      | 'template-missing'
      | 'orphan'
      | 'foreign'
      | 'installation-missing'
      | 'active-branch'
      | 'serving'
      | 'port'
      | 'branch-missing'
      | 'branch-unknown'
      | 'point-missing'
      | 'point-unknown'
      | 'hold-missing'
      | 'hold-unknown'
      | 'version-missing'
      | 'version-unknown'
      | 'server-unexpected'
      | 'server-missing';
    DivergenceSubjectDto: {
      containerId?: string;
      containerName?: string;
      branchId?: string;
      branchName?: string;
      pointId?: string;
      bookmarkId?: string;
      bookmarkName?: string;
      templateId?: string;
      templateName?: string;
      sourceId?: string;
      /** @description The dataset or snapshot on the host */
      dataset?: string;
    };
    DivergenceDto: {
      kind: components['schemas']['DivergenceKind'];
      subject: components['schemas']['DivergenceSubjectDto'];
      /** @description What the catalog says */
      catalog: string | null;
      /** @description What the host says */
      host: string | null;
      /**
       * @description `repaired`: the catalog (or, for a hold, the host) now agrees with what the host proves; `reported`: an admin decides; `pending`: unknown and younger than a minute, a job may be creating it
       * @enum {string}
       */
      action: 'repaired' | 'reported' | 'pending';
      /** @description Why the repair failed (then `reported`) */
      error?: string;
    };
    /**
     * @description Only `destroyable` ones may be destroyed. `unknown-to-catalog`: the catalog has no trace of it (newer than the metadata?), POST /recovery adopts it; `foreign`: another installation's, never touched; `known-elsewhere`: the catalog has it on another host
     * @enum {string}
     */
    OrphanVerdict:
      | 'destroyable'
      | 'pending'
      | 'has-dependents'
      | 'unknown-to-catalog'
      | 'foreign'
      | 'known-elsewhere';
    OrphanDto: {
      hostId: string;
      host: string;
      /**
       * @description `container:<id>` or `template:<id>`
       * @example container:3f1c…
       */
      key: string;
      /** @enum {string} */
      kind: 'container' | 'template';
      id: string;
      /** @description The top dataset that would be destroyed with everything below */
      dataset: string;
      /** @description Every filesystem a destroy would remove, the top one first */
      datasets: string[];
      /** @description How many snapshots would go with them */
      snapshots: number;
      /** @description Space it takes in the pool */
      bytes: number;
      /** Format: date-time */
      createdAt: string | null;
      /** @description The installation id its dataset carries (`branchpoint:installation`); null: none (made before installation ids) */
      installation: string | null;
      /** @description What depends on it (clones elsewhere, holds, branches): destroy is refused while any */
      dependents: string[];
      /** @description Younger than a minute, or a job of its id in flight (a job may be creating it): not destroyed yet */
      pending: boolean;
      /** @description Only `destroyable` ones may be destroyed. `unknown-to-catalog`: the catalog has no trace of it (newer than the metadata?), POST /recovery adopts it; `foreign`: another installation's, never touched; `known-elsewhere`: the catalog has it on another host */
      verdict: components['schemas']['OrphanVerdict'];
      /** @description Why, in words */
      reason: string;
      /**
       * @description What this preview saw (its datasets, snapshots, installation id, creation time): a destroy names it and is refused if anything changed since
       * @example 9c1e4b7a0f2d3e6a
       */
      fingerprint: string;
    };
    SkippedDto: {
      /** @enum {string} */
      kind: 'container' | 'template';
      id: string;
      name: string;
      /**
       * @description A job was queued or running during the cycle
       * @enum {string}
       */
      reason: 'busy';
    };
    ReconciliationReportDto: {
      /** @description This control plane's installation id */
      installationId: string;
      hostId: string;
      host: string;
      /** Format: date-time */
      checkedAt: string;
      /** @description Why the host could not be checked */
      error: string | null;
      /** @description Every difference found, and what was done */
      divergences: components['schemas']['DivergenceDto'][];
      /** @description Datasets of containers or templates the catalog does not know (pending ones included); never destroyed by reconciliation */
      orphans: components['schemas']['OrphanDto'][];
      /** @description Left alone this cycle */
      skipped: components['schemas']['SkippedDto'][];
    };
    ConfirmedOrphanDto: {
      /** @example container:3f1c… */
      key: string;
      /** @description The fingerprint GET /reconciliation/orphans showed */
      fingerprint: string;
    };
    DestroyOrphansDto: {
      hostId: string;
      /** @description Exactly what the admin confirmed, each with the fingerprint the preview showed */
      orphans: components['schemas']['ConfirmedOrphanDto'][];
    };
    RecoverDto: {
      /** @description Plan only: list what would be adopted, change nothing */
      dryRun?: boolean;
    };
    RecoveryHostDto: {
      hostId: string;
      host: string;
      /** @description Why its inventory could not be read */
      error: string | null;
    };
    /** @enum {string} */
    RecoveredKind: 'template' | 'version' | 'container' | 'branch' | 'point' | 'bookmark';
    AdoptedDto: {
      kind: components['schemas']['RecoveredKind'];
      /** @description Its id (for a version: the template id) */
      id: string;
      /** @description Its name (a version: `v<n>`) */
      name: string | null;
      /** @description The container it belongs to (null for templates and versions) */
      containerId: string | null;
      hostId: string;
      host: string;
      /**
       * @description `record`: from the catalog record on the host; `properties`: from the structure alone (generated name, owned by the admin)
       * @enum {string}
       */
      from: 'record' | 'properties';
    };
    RecoverySkippedDto: {
      kind: components['schemas']['RecoveredKind'];
      id: string;
      hostId: string;
      host: string;
      /** @description Why it was not adopted */
      reason: string;
    };
    RecoveryCountsDto: {
      template: number;
      version: number;
      container: number;
      branch: number;
      point: number;
      bookmark: number;
    };
    RecoveredUserDto: {
      id: string;
      username: string;
      /** @description The generated password, shown this once (null in a dry run): hand it to the user or reset it */
      password: string | null;
    };
    RecoveryResultDto: {
      dryRun: boolean;
      hosts: components['schemas']['RecoveryHostDto'][];
      /** @description Added to the catalog (or, dry, would be) */
      adopted: components['schemas']['AdoptedDto'][];
      skipped: components['schemas']['RecoverySkippedDto'][];
      /** @description Found on the hosts and already in the catalog: left as the catalog says */
      unchanged: components['schemas']['RecoveryCountsDto'];
      /** @description Users the records name that did not exist: created with the role user */
      users: components['schemas']['RecoveredUserDto'][];
    };
    CreateWebhookDto: {
      /**
       * @description Refused (400 webhook.url-refused) when its host is or resolves to a loopback, private, link-local, multicast, carrier-grade NAT or cloud metadata address, unless an admin allowed it
       * @example https://hooks.example.com/branchpoint
       */
      url: string;
      /** @enum {string} */
      format: 'json' | 'slack';
      events: (
        | 'job.failed'
        | 'expiry.soon'
        | 'expiry.expired'
        | 'expiry.blocked'
        | 'bookmark.shared'
        | 'host.down'
        | 'container.moved'
      )[];
      /**
       * @description `admin` (admins only): every user's notifications and host events
       * @default user
       * @enum {string}
       */
      scope: 'user' | 'admin';
    };
    CreatedWebhookDto: {
      id: string;
      url: string;
      /** @enum {string} */
      format: 'json' | 'slack';
      events: (
        | 'job.failed'
        | 'expiry.soon'
        | 'expiry.expired'
        | 'expiry.blocked'
        | 'bookmark.shared'
        | 'host.down'
        | 'container.moved'
      )[];
      /** @enum {string} */
      scope: 'user' | 'admin';
      /** Format: date-time */
      createdAt: string;
      /** @description Signing secret: returned only here, once */
      secret: string;
    };
    WebhookDto: {
      id: string;
      url: string;
      /** @enum {string} */
      format: 'json' | 'slack';
      events: (
        | 'job.failed'
        | 'expiry.soon'
        | 'expiry.expired'
        | 'expiry.blocked'
        | 'bookmark.shared'
        | 'host.down'
        | 'container.moved'
      )[];
      /** @enum {string} */
      scope: 'user' | 'admin';
      /** Format: date-time */
      createdAt: string;
    };
    WebhookDeliveryDto: {
      id: string;
      /** @enum {string} */
      event:
        | 'job.failed'
        | 'expiry.soon'
        | 'expiry.expired'
        | 'expiry.blocked'
        | 'bookmark.shared'
        | 'host.down'
        | 'container.moved';
      /** @description The exact body sent */
      body: string;
      /** @enum {string} */
      state: 'pending' | 'succeeded' | 'failed';
      attempts: number;
      /**
       * @description What became of the last attempt, as a category (null before the first); the exact status or socket error is only in the server log
       * @enum {string|null}
       */
      outcome:
        | 'ok'
        | 'address-refused'
        | 'dns-failed'
        | 'connection-refused'
        | 'connection-failed'
        | 'timeout'
        | 'tls-failed'
        | 'http-3xx'
        | 'http-4xx'
        | 'http-5xx'
        | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      finishedAt: string | null;
    };
    ExpiryRuleDto: {
      /**
       * @description The expiry of a new object created without one; null: none
       * @example 7d
       */
      default: string | null;
      /**
       * @description The longest expiry non-admins may give (nor may they clear it or protect); null: no maximum
       * @example 30d
       */
      max: string | null;
    };
    ExpirySettingsDto: {
      container: components['schemas']['ExpiryRuleDto'];
      branch: components['schemas']['ExpiryRuleDto'];
      bookmark: components['schemas']['ExpiryRuleDto'];
      /**
       * @description How long before expiry owners are warned
       * @example 1d
       */
      warningLead: string;
    };
    QuotaLimitsDto: {
      /** @description Containers the user owns (co-owned ones too) */
      containers: number | null;
      /** @description Database servers running for the user's containers: one per source of each running container; creating or starting a container needs room for its servers */
      runningServers: number | null;
      /** @description Branches in one container, its default branch included */
      branchesPerContainer: number | null;
      /** @description Bookmarks the user made */
      bookmarks: number | null;
    };
    UserQuotasDto: {
      /** @description The default for everyone (GET /settings/quotas) */
      defaults: components['schemas']['QuotaLimitsDto'];
      /** @description This user's overrides; null follows the default */
      overrides: components['schemas']['QuotaLimitsDto'];
      /** @description What applies to the user; null: no limit */
      effective: components['schemas']['QuotaLimitsDto'];
    };
    SsoStatusDto: {
      /** @description Whether the sign-in page offers single sign-on */
      enabled: boolean;
      /** @description The provider's name for the sign-in button */
      name?: string;
    };
    SsoExchangeDto: {
      /** @description The one-time code the callback gave the UI (in its URL fragment) */
      code: string;
    };
    ScheduleDto: {
      /**
       * @description Whose schedule applies: the container's own, its owner's default, or none (the fields are null)
       * @enum {string}
       */
      scope: 'container' | 'user' | 'none';
      /** @example 0 20 * * 1-5 */
      stop: string | null;
      /** @example 0 7 * * 1-5 */
      start: string | null;
      /** @example Europe/Berlin */
      timeZone: string | null;
      /** Format: date-time */
      nextStopAt: string | null;
      /** Format: date-time */
      nextStartAt: string | null;
    };
    PutScheduleDto: {
      /**
       * @description When the databases stop: a cron expression (5 fields, or 6 with seconds first)
       * @example 0 20 * * 1-5
       */
      stop?: string | null;
      /**
       * @description When they start again, as `stop`
       * @example 0 7 * * 1-5
       */
      start?: string | null;
      /**
       * @description IANA time zone the times are read in
       * @example Europe/Berlin
       */
      timeZone: string;
    };
    CreatePullRequestConfigDto: {
      /**
       * @description GitHub `owner/name`, or a GitLab project path `group/sub/project`
       * @example acme/shop
       */
      repository?: string;
      /**
       * @description The forge API base: https://api.github.com (default for github), https://gitlab.com/api/v4 (default for gitlab), or a self-hosted one (https://ghe.example.com/api/v3, https://gitlab.example.com/api/v4); passes the outbound fence
       * @example https://api.github.com
       */
      apiUrl?: string;
      /** @description The token comments are posted with (GitHub: issues write; GitLab: api scope). Stored encrypted, never returned */
      apiToken?: string;
      /**
       * @description Only pull requests with this label get a database; null: every one
       * @example needs-db
       */
      label?: string | null;
      /** @description The bookmark (of this template, visible to you) each database starts from */
      bookmarkId?: string;
      /**
       * @description `container`: a container per pull request; `branch`: a branch of `containerId` per pull request
       * @enum {string}
       */
      target?: 'container' | 'branch';
      /** @description target `branch`: the container (yours, of this template) the branches are made in */
      containerId?: string | null;
      /**
       * @description Each database's expiry from its creation; null: the admins' default
       * @example 7d
       */
      expiresIn?: string | null;
      /** @description New commits on a pull request put its database back to the bookmark */
      resetOnPush?: boolean;
      /**
       * @description A Slack incoming-webhook URL each step is posted to; stored encrypted, never returned; null: none
       * @example https://hooks.slack.com/services/T000/B000/XXXX
       */
      slackUrl?: string | null;
      /** @enum {string} */
      forge: 'github' | 'gitlab';
    };
    CreatedPullRequestConfigDto: {
      id: string;
      templateId: string;
      /** @enum {string} */
      forge: 'github' | 'gitlab';
      repository: string;
      apiUrl: string;
      label: string | null;
      bookmarkId: string;
      /** @enum {string} */
      target: 'container' | 'branch';
      containerId: string | null;
      expiresIn: string | null;
      resetOnPush: boolean;
      /** @description Whether a Slack URL is set (the URL itself is never returned) */
      slack: boolean;
      /**
       * @description Where the forge sends its webhooks (POST)
       * @example https://branchpoint.example.com/api/v1/forge/github/…
       */
      inboundUrl: string;
      /** @description The user the databases are made and owned as */
      createdById: string;
      /** Format: date-time */
      createdAt: string;
      /** @description The inbound webhook's secret: shown only here (GitHub: Secret; GitLab: Secret token) */
      webhookSecret: string;
    };
    PullRequestConfigDto: {
      id: string;
      templateId: string;
      /** @enum {string} */
      forge: 'github' | 'gitlab';
      repository: string;
      apiUrl: string;
      label: string | null;
      bookmarkId: string;
      /** @enum {string} */
      target: 'container' | 'branch';
      containerId: string | null;
      expiresIn: string | null;
      resetOnPush: boolean;
      /** @description Whether a Slack URL is set (the URL itself is never returned) */
      slack: boolean;
      /**
       * @description Where the forge sends its webhooks (POST)
       * @example https://branchpoint.example.com/api/v1/forge/github/…
       */
      inboundUrl: string;
      /** @description The user the databases are made and owned as */
      createdById: string;
      /** Format: date-time */
      createdAt: string;
    };
    UpdatePullRequestConfigDto: {
      /**
       * @description GitHub `owner/name`, or a GitLab project path `group/sub/project`
       * @example acme/shop
       */
      repository?: string;
      /**
       * @description The forge API base: https://api.github.com (default for github), https://gitlab.com/api/v4 (default for gitlab), or a self-hosted one (https://ghe.example.com/api/v3, https://gitlab.example.com/api/v4); passes the outbound fence
       * @example https://api.github.com
       */
      apiUrl?: string;
      /** @description The token comments are posted with (GitHub: issues write; GitLab: api scope). Stored encrypted, never returned */
      apiToken?: string;
      /**
       * @description Only pull requests with this label get a database; null: every one
       * @example needs-db
       */
      label?: string | null;
      /** @description The bookmark (of this template, visible to you) each database starts from */
      bookmarkId?: string;
      /**
       * @description `container`: a container per pull request; `branch`: a branch of `containerId` per pull request
       * @enum {string}
       */
      target?: 'container' | 'branch';
      /** @description target `branch`: the container (yours, of this template) the branches are made in */
      containerId?: string | null;
      /**
       * @description Each database's expiry from its creation; null: the admins' default
       * @example 7d
       */
      expiresIn?: string | null;
      /** @description New commits on a pull request put its database back to the bookmark */
      resetOnPush?: boolean;
      /**
       * @description A Slack incoming-webhook URL each step is posted to; stored encrypted, never returned; null: none
       * @example https://hooks.slack.com/services/T000/B000/XXXX
       */
      slackUrl?: string | null;
    };
    PullRequestEventDto: {
      id: string;
      /** @description The forge's delivery id */
      deliveryId: string;
      number: number | null;
      /** @enum {string|null} */
      action: 'open' | 'label' | 'push' | 'close' | null;
      /** @enum {string} */
      state: 'pending' | 'succeeded' | 'failed' | 'ignored';
      /** @description What was done, or why not */
      detail: string | null;
      /** @enum {string|null} */
      commentOutcome:
        | 'ok'
        | 'address-refused'
        | 'dns-failed'
        | 'connection-refused'
        | 'connection-failed'
        | 'timeout'
        | 'tls-failed'
        | 'http-3xx'
        | 'http-4xx'
        | 'http-5xx'
        | null;
      /** @enum {string|null} */
      slackOutcome:
        | 'ok'
        | 'address-refused'
        | 'dns-failed'
        | 'connection-refused'
        | 'connection-failed'
        | 'timeout'
        | 'tls-failed'
        | 'http-3xx'
        | 'http-4xx'
        | 'http-5xx'
        | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      finishedAt: string | null;
    };
    ForgeWebhookAnswerDto: {
      /** @enum {string} */
      status: 'accepted' | 'duplicate' | 'ignored';
      eventId: string;
      /** @description Why it is ignored */
      reason?: string;
    };
    OutboundRuleDto: {
      /** @description Null for BP_OUTBOUND_ALLOW entries */
      id: string | null;
      /** @description Canonical form: `10.0.0.0/8`, `::1/128`, `hooks.internal` */
      entry: string;
      note: string | null;
      /**
       * @description `environment`: from BP_OUTBOUND_ALLOW, read-only here
       * @enum {string}
       */
      source: 'admin' | 'environment';
      /** Format: date-time */
      createdAt: string | null;
    };
    CreateOutboundRuleDto: {
      /**
       * @description An IP address, a CIDR range (`10.20.0.0/16`, `fd00::/8`) or a host name (`hooks.internal`, `*.corp.example` for its subdomains)
       * @example 10.20.0.0/16
       */
      entry: string;
      /** @description Why it is allowed, for other admins */
      note?: string;
    };
    ErrorBody: {
      /** @example 409 */
      statusCode: number;
      /**
       * @example Conflict
       * @enum {string}
       */
      error:
        | 'Bad Request'
        | 'Unauthorized'
        | 'Forbidden'
        | 'Not Found'
        | 'Conflict'
        | 'Payload Too Large'
        | 'Too Many Requests'
        | 'Internal Server Error'
        | 'Bad Gateway'
        | 'Service Unavailable';
      /**
       * @description Stable: clients act on it. Each code answers with one HTTP status.
       * @example container.locked
       * @enum {string}
       */
      code:
        | 'request.invalid'
        | 'request.too-large'
        | 'route.not-found'
        | 'auth.token-missing'
        | 'auth.token-invalid'
        | 'auth.login-failed'
        | 'auth.too-many-logins'
        | 'auth.admin-required'
        | 'auth.account-disabled'
        | 'auth.refresh-invalid'
        | 'auth.current-password-wrong'
        | 'sso.disabled'
        | 'sso.state-invalid'
        | 'sso.callback-invalid'
        | 'sso.code-invalid'
        | 'sso.provider-unavailable'
        | 'access.owners-only'
        | 'user.not-found'
        | 'user.unknown'
        | 'user.taken'
        | 'user.password-weak'
        | 'user.self'
        | 'user.handover-invalid'
        | 'token.not-found'
        | 'token.expiry-invalid'
        | 'host.not-found'
        | 'host.unknown'
        | 'host.exists'
        | 'host.certificate-changed'
        | 'host.agent-registered'
        | 'host.unavailable'
        | 'host.draining'
        | 'container.host-not-allowed'
        | 'container.host-pinned'
        | 'template.no-placement'
        | 'template.not-found'
        | 'template.unknown'
        | 'template.exists'
        | 'template.invalid'
        | 'template.no-version'
        | 'template.ingesting'
        | 'template.owner-superuser-admin-only'
        | 'template.host-is-origin'
        | 'template.host-in-use'
        | 'template-host.not-found'
        | 'container.not-found'
        | 'container.busy'
        | 'container.locked'
        | 'container.no-active-branch'
        | 'container.stopped'
        | 'container.has-dependents'
        | 'container.same-host'
        | 'container.last-owner'
        | 'owner.not-found'
        | 'settings.invalid'
        | 'settings.outdated'
        | 'branch.not-found'
        | 'branch.exists'
        | 'branch.busy'
        | 'branch.active'
        | 'branch.holds-bookmarks'
        | 'branch.has-dependents'
        | 'branch.origin-invalid'
        | 'point.not-found'
        | 'preview.not-found'
        | 'preview.not-ready'
        | 'preview.no-server'
        | 'preview.invalid'
        | 'diff.not-found'
        | 'diff.other-template'
        | 'diff.engine-unsupported'
        | 'rebase.not-found'
        | 'rebase.no-base'
        | 'rebase.not-newer'
        | 'rebase.version-unknown'
        | 'rebase.engine-unsupported'
        | 'timeline.nothing-to-reset'
        | 'timeline.nothing-to-undo'
        | 'bookmark.not-found'
        | 'bookmark.other-template'
        | 'bookmark.other-container'
        | 'bookmark.has-dependents'
        | 'bookmark.share-invalid'
        | 'expiry.invalid'
        | 'expiry.protected'
        | 'expiry.admin-only'
        | 'expiry.locked'
        | 'job.not-found'
        | 'webhook.not-found'
        | 'webhook.admin-only'
        | 'webhook.url-refused'
        | 'webhook.limit-reached'
        | 'outbound-rule.invalid'
        | 'outbound-rule.not-found'
        | 'outbound-rule.exists'
        | 'pull-request-config.not-found'
        | 'pull-request-config.invalid'
        | 'pull-request-config.forbidden'
        | 'forge.signature-invalid'
        | 'forge.event-invalid'
        | 'forge.too-many-attempts'
        | 'metrics.forbidden'
        | 'quota.exceeded'
        | 'quota.busy'
        | 'pagination.cursor-invalid'
        | 'reconciliation.refused'
        | 'recovery.running'
        | 'catalog.duplicate'
        | 'agent.unavailable'
        | 'agent.certificate-changed'
        | 'agent.not-found'
        | 'agent.refused'
        | 'agent.foreign-installation'
        | 'agent.rejected-input'
        | 'agent.failed'
        | 'metadata.unavailable'
        | 'internal';
      /** @description For people; may be reworded. */
      message: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  HealthController_health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HealthDto'];
        };
      };
    };
  };
  AuditController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
        /** @description Skips this many events (older clients); not with cursor, which is faster */
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditEventDto'][];
        };
      };
    };
  };
  UsersController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every user, by username. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserDto'][];
        };
      };
    };
  };
  UsersController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateUserDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserDto'];
        };
      };
    };
  };
  AuthController_login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LoginDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionTokensDto'];
        };
      };
    };
  };
  AuthController_refresh: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RefreshDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionTokensDto'];
        };
      };
    };
  };
  AuthController_logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_me: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserDto'];
        };
      };
    };
  };
  AuthController_changePassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ChangePasswordDto'];
      };
    };
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AuthController_listTokens: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description My API tokens, oldest first. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiTokenDto'][];
        };
      };
    };
  };
  AuthController_createToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateApiTokenDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiTokenDto'];
        };
      };
    };
  };
  AuthController_revokeToken: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AccountsController_resetPassword: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SetPasswordDto'];
      };
    };
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AccountsController_disable: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserDto'];
        };
      };
    };
  };
  AccountsController_enable: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserDto'];
        };
      };
    };
  };
  AccountsController_delete: {
    parameters: {
      query?: {
        /** @description transfer: the user named by `to` takes their place as owner; delete: containers they own alone are deleted, co-owned ones stay with the other owners */
        containers?: 'transfer' | 'delete';
        /** @description The user who receives the containers (with transfer) */
        to?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeletedUserDto'];
        };
      };
    };
  };
  MetricsController_scrape: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Prometheus text format */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
    };
  };
  JobsController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
        /** @description A container's jobs (owners and viewers); without it, the jobs you started */
        containerId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDto'][];
        };
      };
    };
  };
  JobsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['JobDto'];
        };
      };
    };
  };
  HostsController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every host, by name; address, pin and errors only for admins. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HostDto'][];
        };
      };
    };
  };
  HostsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateHostDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HostDto'];
        };
      };
    };
  };
  HostsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateHostDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HostDto'];
        };
      };
    };
  };
  TemplatesController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every user sees every template, by name; connection strings and errors only admins. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateDto'][];
        };
      };
    };
  };
  TemplatesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTemplateDto'];
      };
    };
    responses: {
      /** @description Ingest of v1 queued; `id` is the template id */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  TemplatesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Hooks, connection strings and ingest errors only for admins */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateDetailDto'];
        };
      };
    };
  };
  TemplatesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateTemplateDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TemplateDetailDto'];
        };
      };
    };
  };
  TemplatesController_refresh: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ingest of the next version queued */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  TemplateHostsController_add: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AddTemplateHostDto'];
      };
    };
    responses: {
      /** @description The host is added (listed in the template as `replicating`) and the newest version is sent to it: whole, or the increment from the newest version it holds */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  TemplateHostsController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        hostId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The template's copy on the host is destroyed (409 while containers of it live there) */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  MovesController_move: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['MoveContainerDto'];
      };
    };
    responses: {
      /** @description The container moves with its branches, points and bookmarks: copied while it runs, then stopped for the increment and started on the new host. Its connection strings change (event `container.moved`, webhook `container.moved`). */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  MovesController_drain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The host takes no new containers (until DELETE), and a move job starts per container on it, each to where placement puts it; those that cannot move are listed with why */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DrainResultDto'];
        };
      };
    };
  };
  MovesController_endDrain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The host takes new containers again */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ContainersController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerDto'][];
        };
      };
    };
  };
  ContainersController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateContainerDto'];
      };
    };
    responses: {
      /** @description `id` is the new container */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  ContainersController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerDetailDto'];
        };
      };
    };
  };
  ContainersController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  ContainersController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateContainerDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerDto'];
        };
      };
    };
  };
  ContainersController_refresh: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  ContainersController_undo: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  ContainersController_start: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  ContainersController_stop: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  ContainersController_getSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ServerSettingsDto'];
        };
      };
    };
  };
  ContainersController_updateSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateServerSettingsDto'];
      };
    };
    responses: {
      /** @description Records a `settings` point */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  ContainersController_rotateCredentials: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoints show the new password */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  ContainersController_caCertificate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description PEM of the CA that signs the certificates of the container's servers */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/x-pem-file': string;
        };
      };
    };
  };
  ContainersController_lock: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerDto'];
        };
      };
    };
  };
  ContainersController_unlock: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerDto'];
        };
      };
    };
  };
  ContainersController_addOwner: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AddOwnerDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerDto'];
        };
      };
    };
  };
  ContainersController_removeOwner: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        userId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ContainerDto'];
        };
      };
    };
  };
  PlacementController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlacementDto'];
        };
      };
    };
  };
  PlacementController_pin: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PinPlacementDto'];
      };
    };
    responses: {
      /** @description Pins the template's new containers to these hosts; null unpins */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PlacementDto'];
        };
      };
    };
  };
  BranchesController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BranchDto'][];
        };
      };
    };
  };
  BranchesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateBranchDto'];
      };
    };
    responses: {
      /** @description `id` is the new branch */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  BranchesController_activate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  BranchesController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  BranchesController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateBranchDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BranchDto'];
        };
      };
    };
  };
  BranchesController_timeline: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PointDto'][];
        };
      };
    };
  };
  BranchesController_restore: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RestoreBranchDto'];
      };
    };
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  BranchesController_reset: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  BookmarksController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateBookmarkDto'];
      };
    };
    responses: {
      /** @description `id` is the new bookmark */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  BookmarksController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
        scope?: 'mine' | 'shared' | 'all';
        tag?: string;
        /** @description Search in name, description and bug reference */
        q?: string;
        /** @description Bookmarks of this bug: exact key or URL (a key also finds its link, and back) */
        bugRef?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BookmarkDto'][];
        };
      };
    };
  };
  BookmarksController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BookmarkDto'];
        };
      };
    };
  };
  BookmarksController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  BookmarksController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateBookmarkDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BookmarkDto'];
        };
      };
    };
  };
  BookmarksController_share: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ShareBookmarkDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BookmarkDto'];
        };
      };
    };
  };
  BookmarksController_unshare: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BookmarkDto'];
        };
      };
    };
  };
  PreviewsController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description My previews (everyone's, for admins), newest first. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PreviewDto'][];
        };
      };
    };
  };
  PreviewsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreatePreviewDto'];
      };
    };
    responses: {
      /** @description `id` is the new preview */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  PreviewsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PreviewDto'];
        };
      };
    };
  };
  PreviewsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PreviewsController_tables: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PreviewTableDto'][];
        };
      };
    };
  };
  PreviewsController_rows: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path: {
        id: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PreviewRowsDto'];
        };
      };
    };
  };
  DiffsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateDiffDto'];
      };
    };
    responses: {
      /** @description `id` is the new diff */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  DiffsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DiffDto'];
        };
      };
    };
  };
  DiffsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description forgets the diff; a running one stops */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  RebasesController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RebaseBranchDto'];
      };
    };
    responses: {
      /** @description `id` is the new rebase */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
    };
  };
  RebasesController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RebaseDto'];
        };
      };
    };
  };
  RebasesController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description forgets the rebase; a running one stops */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UsageController_get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UsageDto'];
        };
      };
    };
  };
  ReconciliationController_reports: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The last report per host */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReconciliationReportDto'][];
        };
      };
    };
  };
  ReconciliationController_run: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Reconciles every host now: repairs what the host proves, reports the rest */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReconciliationReportDto'][];
        };
      };
    };
  };
  ReconciliationController_orphans: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The preview: datasets the catalog does not know, on every host now, each with what a destroy would remove, what depends on it, its verdict (only `destroyable` ones may go) and the fingerprint a destroy must name */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OrphanDto'][];
        };
      };
    };
  };
  ReconciliationController_destroy: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['DestroyOrphansDto'];
      };
    };
    responses: {
      /** @description A job destroys exactly these (audited), after checking them again; its result lists them */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedJobDto'];
        };
      };
      /** @description Nothing destroyed: an item is no orphan (the catalog references it), another installation's, unknown to the catalog, younger than a minute, depended on, or changed since the preview (each named) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  RecoveryController_recover: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RecoverDto'];
      };
    };
    responses: {
      /** @description Adopts every template, version, container, branch, point and bookmark the registered hosts hold and the catalog lacks (audited) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RecoveryResultDto'];
        };
      };
      /** @description Another recovery is running */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  WebhooksController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description My webhooks, oldest first. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDto'][];
        };
      };
    };
  };
  WebhooksController_create: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateWebhookDto'];
      };
    };
    responses: {
      /** @description `secret` is shown only here */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedWebhookDto'];
        };
      };
    };
  };
  WebhooksController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  WebhooksController_deliveries: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The deliveries kept, newest first. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryDto'][];
        };
      };
    };
  };
  SettingsController_getExpiry: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExpirySettingsDto'];
        };
      };
    };
  };
  SettingsController_putExpiry: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ExpirySettingsDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExpirySettingsDto'];
        };
      };
    };
  };
  QuotasController_getDefaults: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['QuotaLimitsDto'];
        };
      };
    };
  };
  QuotasController_putDefaults: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['QuotaLimitsDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['QuotaLimitsDto'];
        };
      };
    };
  };
  QuotasController_getOfUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserQuotasDto'];
        };
      };
    };
  };
  QuotasController_putOfUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['QuotaLimitsDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['UserQuotasDto'];
        };
      };
    };
  };
  SsoController_status: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SsoStatusDto'];
        };
      };
    };
  };
  SsoController_start: {
    parameters: {
      query?: {
        /** @description A path of the UI to return to after signing in, e.g. /containers/… */
        returnUrl?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Redirect to the provider's authorization endpoint */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SsoController_callback: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Redirect to the UI, a one-time code in the URL fragment */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SsoController_exchange: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['SsoExchangeDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionTokensDto'];
        };
      };
    };
  };
  SchedulesController_getForContainer: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
    };
  };
  SchedulesController_putForContainer: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PutScheduleDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
    };
  };
  SchedulesController_deleteForContainer: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  SchedulesController_getForUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
    };
  };
  SchedulesController_putForUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PutScheduleDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScheduleDto'];
        };
      };
    };
  };
  SchedulesController_deleteForUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PullRequestConfigsController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The template's pull-request configurations, oldest first. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PullRequestConfigDto'][];
        };
      };
    };
  };
  PullRequestConfigsController_create: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreatePullRequestConfigDto'];
      };
    };
    responses: {
      /** @description `webhookSecret` is shown only here */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedPullRequestConfigDto'];
        };
      };
    };
  };
  PullRequestConfigsController_get: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PullRequestConfigDto'];
        };
      };
    };
  };
  PullRequestConfigsController_delete: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  PullRequestConfigsController_update: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdatePullRequestConfigDto'];
      };
    };
    responses: {
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PullRequestConfigDto'];
        };
      };
    };
  };
  PullRequestConfigsController_events: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The inbound events, newest first. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PullRequestEventDto'][];
        };
      };
    };
  };
  ForgeWebhooksController_github: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        configId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Signed with X-Hub-Signature-256; events pull_request opened, reopened, labeled, synchronize, closed */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ForgeWebhookAnswerDto'];
        };
      };
    };
  };
  ForgeWebhooksController_gitlab: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        configId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description With X-Gitlab-Token; Merge Request Hook open, reopen, update (new commits or labels), close, merge */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ForgeWebhookAnswerDto'];
        };
      };
    };
  };
  OutboundController_list: {
    parameters: {
      query?: {
        /** @description Items per page (at most 500) */
        limit?: number;
        /** @description The next page: the X-Next-Cursor header of the page before (opaque) */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The admins' rules, oldest first; the first page starts with BP_OUTBOUND_ALLOW's entries. One page (limit, default 100, at most 500); follow X-Next-Cursor or Link for the next */
      200: {
        headers: {
          /** @description The cursor of the next page; absent on the last page */
          'X-Next-Cursor'?: string;
          /** @description The next page: `<path?…&cursor=…>; rel="next"`; absent on the last page */
          Link?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OutboundRuleDto'][];
        };
      };
    };
  };
  OutboundController_add: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateOutboundRuleDto'];
      };
    };
    responses: {
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OutboundRuleDto'];
        };
      };
    };
  };
  OutboundController_remove: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
