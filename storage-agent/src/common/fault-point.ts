import type { AgentFaultStep } from '@branchpoint/contracts';

/**
 * Test-only fault injection (see AGENT_FAULT_STEPS). Inert unless the configuration enabled it
 * (`BP_FAULT_INJECTION=on`); then a step armed through `PUT /v1/test/fault` kills the agent the
 * moment an operation reaches it, the way `kill -9` would, so no cleanup code runs.
 */
let enabled = false;
let armed: AgentFaultStep | null = null;

export function enableFaultInjection(): void {
  enabled = true;
}

export function armFault(step: AgentFaultStep | null): void {
  armed = step;
}

export function faultPoint(step: AgentFaultStep): void {
  if (!enabled || armed !== step) return;
  armed = null;
  process.kill(process.pid, 'SIGKILL');
}
