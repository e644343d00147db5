import { badRequest } from '../../common/agent-failure.js';

/** What the agent needs from a MariaDB/MySQL source connection string. */
export interface MariadbConnection {
  host: string;
  port: number;
  user: string;
  password: string | null;
  database: string;
}

/** Parses `mysql://user:password@host:port/db` (or `mariadb://`); 400 naming what is missing. */
export function parseMariadbUrl(value: string): MariadbConnection {
  if (!/^(mysql|mariadb):\/\//.test(value))
    throw badRequest('connectionString of a mariadb source must be a mysql:// URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest('connectionString of a mariadb source is not a valid URL');
  }
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!user) throw badRequest('connectionString of a mariadb source names no user');
  if (!database || database.includes('/'))
    throw badRequest('connectionString of a mariadb source names no database (mysql://…/db)');
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user,
    password: url.password ? decodeURIComponent(url.password) : null,
    database,
  };
}
