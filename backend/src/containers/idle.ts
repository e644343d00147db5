import type { ContainerActivity } from '@branchpoint/contracts';

/** The latest activity known: what the control plane saw before or what the agent reports now. */
export function latestActivity(seen: Date | null, activity: ContainerActivity): Date | null {
  const reported = activity.lastActivityAt ? new Date(activity.lastActivityAt) : null;
  if (!reported) return seen;
  return seen && seen > reported ? seen : reported;
}

/** How long the running servers have been without clients; null when nothing runs or nothing is known. */
export function idleFor(seen: Date | null, activity: ContainerActivity, now: Date): number | null {
  if (!activity.running) return null;
  const latest = latestActivity(seen, activity);
  return latest ? Math.max(0, now.getTime() - latest.getTime()) : null;
}
