// A whole control plane with its agent (libs/testing), for the modules that measure through the
// API and its socket rather than at the agent.
import { startStack } from '@branchpoint/testing';

/** Runs `work(stack)` on a fresh stack (its logs quiet: they would cost time), stopped after. */
export async function withStack(project, clonePorts, work) {
  const stack = await startStack({ project, clonePorts, backendEnv: { LOG_LEVEL: 'warn' } });
  try {
    return await work(stack);
  } finally {
    await stack.stop();
  }
}
