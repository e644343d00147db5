// Makes services on this machine's loopback reachable at the same 127.0.0.1:<port> inside
// network namespaces (scripts/lib/netns.sh), so a storage agent in a namespace ingests from
// the same source connection string as one outside: its templates' sources live on the
// root namespace's loopback (the demo PostgreSQL, test sources).
//
//   node netns-relay.mjs --ns NS [--ns NS …] --port PORT [--port PORT …]
//
// For each namespace a short-lived child (`nsenter --net=/run/netns/NS node … --listen …`)
// opens the listening sockets on the namespace's 127.0.0.1 and hands them over this process's
// IPC channel; this process, in the root namespace, accepts on them and connects each
// connection to 127.0.0.1:<port> here. Nothing listens on any address outside loopback.
// Prints `ready` once every socket is open; runs until SIGTERM/SIGINT.
import { fork } from 'node:child_process';
import process from 'node:process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    ns: { type: 'string', multiple: true, default: [] },
    port: { type: 'string', multiple: true, default: [] },
    listen: { type: 'boolean', default: false },
  },
});
const ports = values.port.map((port) => {
  const n = Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`bad port ${port}`);
  return n;
});

/** Child, inside the namespace: listen on each port, send the servers, exit. */
async function listenInNamespace() {
  for (const port of ports) {
    const server = createServer();
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve, reject) =>
      process.send({ port }, server, (error) => (error ? reject(error) : resolve())),
    );
    // The parent holds its own copy now; ours would take connections and never answer.
    server.close();
  }
  process.disconnect();
}

function relay(server, port) {
  server.on('connection', (inbound) => {
    const outbound = connect(port, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close);
    outbound.on('error', close);
  });
}

/** Parent, in the root namespace: one child per namespace, relay what they hand over. */
async function main() {
  const servers = [];
  for (const ns of values.ns) {
    const child = fork(
      fileURLToPath(import.meta.url),
      ['--listen', ...ports.flatMap((p) => ['--port', String(p)])],
      {
        // nsenter, not `ip netns exec`: only the network namespace changes.
        execPath: 'nsenter',
        execArgv: [`--net=/run/netns/${ns}`, process.execPath],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    await new Promise((resolve, reject) => {
      let received = 0;
      child.on('message', (message, server) => {
        relay(server, message.port);
        servers.push(server);
        if (++received === ports.length) resolve();
      });
      child.once('exit', (code) => {
        if (received < ports.length) reject(new Error(`listening in ${ns} failed (exit ${code})`));
      });
    });
  }
  process.stdout.write('ready\n');
  const stop = () => {
    for (const server of servers) server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (values.listen) await listenInNamespace();
else await main();
