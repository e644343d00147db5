import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config.js';

// Single sign-on's part of the configuration (config/app-config.ts, BP_OIDC_*).

const VALID = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  BRANCHPOINT_ADMIN_PASSWORD: 'a-strong-first-secret',
  BP_JWT_SECRET: 'x'.repeat(32),
  BP_SECRET_KEY: Buffer.alloc(32, 1).toString('base64'),
};
const SSO = {
  ...VALID,
  BP_OIDC_ISSUER: 'https://login.example.com/realms/main',
  BP_OIDC_CLIENT_ID: 'branchpoint',
  BP_PUBLIC_URL: 'https://branchpoint.example.com/',
};

describe('single sign-on configuration', () => {
  it('is off without an issuer (an empty one counts as unset)', () => {
    expect(loadConfig(VALID).config.sso).toBeNull();
    expect(loadConfig({ ...VALID, BP_OIDC_ISSUER: '' }).config.sso).toBeNull();
  });

  it('takes the issuer, client and public URL, with defaults for the rest', () => {
    expect(loadConfig(SSO).config.sso).toEqual({
      issuer: 'https://login.example.com/realms/main',
      clientId: 'branchpoint',
      clientSecret: null,
      scopes: 'openid profile email',
      defaultRole: 'user',
      adminGroup: null,
      groupsClaim: 'groups',
      usernameClaim: 'preferred_username',
      displayName: 'single sign-on',
      publicUrl: 'https://branchpoint.example.com',
    });
    const custom = loadConfig({
      ...SSO,
      BP_OIDC_CLIENT_SECRET: 's3cret',
      BP_OIDC_SCOPES: 'openid groups',
      BP_OIDC_DEFAULT_ROLE: 'admin',
      BP_OIDC_ADMIN_GROUP: 'ops',
      BP_OIDC_GROUPS_CLAIM: 'roles',
      BP_OIDC_USERNAME_CLAIM: 'email',
      BP_OIDC_NAME: 'Keycloak',
    }).config.sso;
    expect(custom).toMatchObject({
      clientSecret: 's3cret',
      scopes: 'openid groups',
      defaultRole: 'admin',
      adminGroup: 'ops',
      groupsClaim: 'roles',
      usernameClaim: 'email',
      displayName: 'Keycloak',
    });
  });

  it('names what an issuer also needs', () => {
    expect(() => loadConfig({ ...SSO, BP_OIDC_CLIENT_ID: undefined })).toThrow(
      /BP_OIDC_CLIENT_ID is required when BP_OIDC_ISSUER is set/,
    );
    expect(() => loadConfig({ ...SSO, BP_PUBLIC_URL: '' })).toThrow(
      /BP_PUBLIC_URL is required when BP_OIDC_ISSUER is set/,
    );
  });

  it('refuses a plain-HTTP issuer except on localhost, bad URLs, roles and scopes', () => {
    expect(() => loadConfig({ ...SSO, BP_OIDC_ISSUER: 'http://login.example.com' })).toThrow(
      /BP_OIDC_ISSUER must use https \(http only on localhost\)/,
    );
    expect(loadConfig({ ...SSO, BP_OIDC_ISSUER: 'http://127.0.0.1:9000' }).config.sso?.issuer).toBe(
      'http://127.0.0.1:9000',
    );
    expect(() => loadConfig({ ...SSO, BP_OIDC_ISSUER: 'not a url' })).toThrow(
      /BP_OIDC_ISSUER must be the provider's issuer URL/,
    );
    expect(() => loadConfig({ ...SSO, BP_PUBLIC_URL: 'ftp://x' })).toThrow(
      /BP_PUBLIC_URL must be the http\(s\) URL/,
    );
    expect(() => loadConfig({ ...SSO, BP_OIDC_DEFAULT_ROLE: 'root' })).toThrow(
      /BP_OIDC_DEFAULT_ROLE must be "user" or "admin"/,
    );
    expect(() => loadConfig({ ...SSO, BP_OIDC_SCOPES: 'profile email' })).toThrow(
      /BP_OIDC_SCOPES must include "openid"/,
    );
  });
});
