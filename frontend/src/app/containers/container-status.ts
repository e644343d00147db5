import { Container } from '../core/api/models';

/** Maps a container or host status to the colour class of `.bp-status`. */
export function statusClass(status: string | null | undefined): string {
  switch (status) {
    case 'running':
    case 'ready':
    case 'up':
      return 'ok';
    case 'creating':
    case 'moving':
    case 'busy':
    case 'starting':
    case 'stopping':
      return 'warn';
    case 'failed':
    case 'error':
    case 'down':
      return 'bad';
    default:
      return 'idle';
  }
}

/** Whether a container's databases run, as shown: the idle stop's stop reads `stopped (idle)`. */
export function servingLabel(serving: 'running' | 'stopped' | 'idle'): string {
  return serving === 'idle' ? 'stopped (idle)' : serving;
}

/**
 * Whether the container is in the middle of its creation, deletion or a move: the control plane
 * refuses operations on it (409) until that ends, so the page offers none.
 */
export function isBusy(state: Container['state'] | null | undefined): boolean {
  return state === 'creating' || state === 'deleting' || state === 'moving';
}
