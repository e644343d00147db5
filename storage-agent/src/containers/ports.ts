import net from 'node:net';
import { conflict } from '../common/agent-failure.js';

/** Whether nothing listens on the port (on any address). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/** Picks `count` ports of the range that no container holds and nothing else listens on. */
export async function allocatePorts(
  range: { first: number; last: number },
  taken: Set<number>,
  count: number,
): Promise<number[]> {
  const ports: number[] = [];
  for (let port = range.first; port <= range.last && ports.length < count; port++) {
    if (!taken.has(port) && (await portIsFree(port))) ports.push(port);
  }
  if (ports.length < count)
    throw conflict(`no free clone port left in ${range.first}-${range.last}`);
  return ports;
}
