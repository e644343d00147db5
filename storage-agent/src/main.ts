import { createAgent, prepareRoot } from './agent.js';
import { buildApp } from './api/app.js';
import { enableFaultInjection } from './common/fault-point.js';
import { logStepTimes } from './common/step-times.js';
import { ConfigError, DEV_AGENT_TOKEN, loadConfig } from './config.js';
import { loadAgentCertificate } from './tls/agent-certificate.js';

const PREVIEW_SWEEP_MS = 30_000;
/** A received point no clone came of within this long is left over from a failed job. */
const RECEIVED_POINT_GRACE_MS = 30 * 60_000;
const RECEIVED_POINT_SWEEP_MS = 5 * 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.token === DEV_AGENT_TOKEN)
    console.warn('storage-agent: dev mode, using the fixed dev token');
  if (config.faultInjection) {
    console.warn('storage-agent: fault injection is on (tests only): PUT /v1/test/fault');
    enableFaultInjection();
  }
  if (config.stepLog) logStepTimes((line) => console.error(line));
  const agent = createAgent(config);
  await prepareRoot(agent, config.runDir);
  const { cert, key, fingerprint } = await loadAgentCertificate(config.tls, config.host);
  const app = buildApp(agent, config.token, {
    logger: true,
    https: { cert, key },
    faultInjection: config.faultInjection,
  });
  const address = await app.listen({ host: config.host, port: config.port });
  // Tools (the test harnesses) read the URL and the fingerprint to pin from this line.
  console.log(
    `storage-agent listening on ${address} (certificate sha256 ${fingerprint}, root ${config.zfsRoot}, clone ports ${config.clonePorts.first}-${config.clonePorts.last})`,
  );
  // In the background, so the agent answers at once; calls on a container wait for its turn.
  void agent.containers.resumeServers().then((failures) => {
    for (const { containerId, error } of failures)
      console.error(`storage-agent: container ${containerId}: servers not started again: ${error}`);
  });
  // Previews end when their time is up even if no control plane asks (and come back after a restart).
  const sweepPreviews = () =>
    void agent.previews.sweep().then((failures) => {
      for (const { previewId, error } of failures)
        console.error(`storage-agent: preview ${previewId}: ${error}`);
    });
  sweepPreviews();
  const previewSweep = setInterval(sweepPreviews, PREVIEW_SWEEP_MS);
  previewSweep.unref();
  const sweepReceivedPoints = () =>
    void agent.dependencies
      .sweepReceivedPoints(new Date(Date.now() - RECEIVED_POINT_GRACE_MS))
      .then(
        (swept) =>
          swept.forEach((point) => console.log(`storage-agent: unused ${point} destroyed`)),
        (error: unknown) => console.error(`storage-agent: received points sweep: ${String(error)}`),
      );
  setInterval(sweepReceivedPoints, RECEIVED_POINT_SWEEP_MS).unref();
  const shutdown = () => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? `invalid configuration: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`storage-agent: ${message}`);
  process.exit(1);
});
