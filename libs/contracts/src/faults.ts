/**
 * Step boundaries of the control plane's operations where a test may stop it (`kill -9`), to
 * prove that every job ends and the catalog agrees with the host afterwards. Only a control
 * plane started with `BP_FAULT_INJECTION=on` accepts `PUT /test/fault`; elsewhere the steps are
 * inert. The agent's own steps are AGENT_FAULT_STEPS.
 */
export const CONTROL_PLANE_FAULT_STEPS = [
  /** The job is recorded as running; its handler has not started. */
  'job:before-handler',
  /** The handler finished on the agent and in the catalog; success is not recorded yet. */
  'job:after-handler',
  /** The agent took a point's snapshot; the point is not in the catalog yet. */
  'point:after-snapshot',
  /** The agent replaced a branch's data (restore, reset, undo, refresh); the catalog has not followed. */
  'restore:after-agent',
  /** The agent serves the new branch; the catalog still names the old one. */
  'activate:after-agent',
  /** The agent holds a bookmark's point; the bookmark is not recorded yet. */
  'bookmark:after-hold',
  /** The agent made the container and its first branch; the catalog does not say ready yet. */
  'create-container:after-agent',
  /** The agent destroyed the container; its rows are still in the catalog. */
  'delete-container:after-agent',
  /** A moving container's copy is on the new host; it still runs on the old one. */
  'move-container:after-copy',
  /** The catalog names the moving container's new host, which has not made it its own yet. */
  'move-container:after-switch',
] as const;

export type ControlPlaneFaultStep = (typeof CONTROL_PLANE_FAULT_STEPS)[number];
