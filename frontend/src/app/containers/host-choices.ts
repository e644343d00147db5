import { Observable, catchError, map, of } from 'rxjs';
import { ContainersApi } from '../core/api/containers.api';
import { ContainerHost } from '../core/api/models';

/** A host as an option of a Host picker. */
export interface HostChoice {
  id: string;
  label: string;
  /** A host that is down is listed, so the choice is understood, but cannot be chosen. */
  disabled: boolean;
}

/** The options of a Host picker (New container, Move), in the order given: best first. */
export function hostChoices(hosts: readonly ContainerHost[]): HostChoice[] {
  return hosts.map((h) => {
    const down = h.status === 'down';
    return { id: h.id, label: down ? `${h.name} (down)` : h.name, disabled: down };
  });
}

/**
 * The hosts a template is available on, best first (its placement); none without a template or
 * when they cannot be read, so that no choice is offered rather than an error.
 */
export function templateHosts(
  api: ContainersApi,
  templateId: string | null | undefined,
): Observable<ContainerHost[]> {
  if (!templateId) return of([]);
  return api.placement(templateId).pipe(
    map((placement) => placement.hosts),
    catchError(() => of([] as ContainerHost[])),
  );
}
