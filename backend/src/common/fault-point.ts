import type { ControlPlaneFaultStep } from '@branchpoint/contracts';

/**
 * Test-only fault injection (see CONTROL_PLANE_FAULT_STEPS). Inert unless the configuration
 * enabled it (`BP_FAULT_INJECTION=on`); then a step armed through `PUT /test/fault` kills the
 * process the moment it is reached, the way `kill -9` would, so no cleanup code runs.
 */
let enabled = false;
let armed: ControlPlaneFaultStep | null = null;

export function enableFaultInjection(): void {
  enabled = true;
}

export function armFault(step: ControlPlaneFaultStep | null): void {
  armed = step;
}

export function faultPoint(step: ControlPlaneFaultStep): void {
  if (!enabled || armed !== step) return;
  armed = null;
  process.kill(process.pid, 'SIGKILL');
}
