// Sessions to clone servers as a client opens them: the container's owner over TLS.
import pg from 'pg';

export async function ownerClient(context, endpoint) {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: endpoint.port,
    user: endpoint.username,
    database: endpoint.database,
    password: context.password,
    ssl: { rejectUnauthorized: false },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** One query in a session of its own. */
export async function ownerQuery(context, endpoint, sql) {
  const client = await ownerClient(context, endpoint);
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
