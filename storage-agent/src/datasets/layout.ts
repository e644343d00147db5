import { RESOURCE_ID_PATTERN } from '@branchpoint/contracts';
import { badRequest } from '../common/agent-failure.js';

/** Checks that an id may become part of a dataset name; the message names the field. */
export function resourceId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !RESOURCE_ID_PATTERN.test(value)) {
    throw badRequest(
      `${field} must match ${RESOURCE_ID_PATTERN} (got ${JSON.stringify(value)?.slice(0, 80)})`,
    );
  }
  return value;
}

/**
 * The one place dataset names are built, from validated ids only:
 *   <root>/templates/<templateId>/<sourceId>                              @<version>
 *   <root>/containers/<containerId>/<branchId>/<generationId>/<sourceId>  @<pointId>
 *   <root>/incoming/<transferId>                                          a stream being received
 *   <root>/points/<pointId>/<sourceId>                     @<pointId>     a point received from another agent
 *   <root>/previews/<previewId>/<sourceId>                                clones of a point, read-only
 */
export class DatasetLayout {
  constructor(readonly root: string) {}

  get templates(): string {
    return `${this.root}/templates`;
  }

  get containers(): string {
    return `${this.root}/containers`;
  }

  get previews(): string {
    return `${this.root}/previews`;
  }

  /** A preview: a point's clones served read-only for a while (see previews/). */
  preview(previewId: string): string {
    return `${this.previews}/${resourceId(previewId, 'previewId')}`;
  }

  previewSource(previewId: string, sourceId: string): string {
    return `${this.preview(previewId)}/${resourceId(sourceId, 'sourceId')}`;
  }

  /** Where a whole stream from another agent is received before it is renamed into place. */
  get incoming(): string {
    return `${this.root}/incoming`;
  }

  incomingTransfer(transferId: string): string {
    return `${this.incoming}/${resourceId(transferId, 'transferId')}`;
  }

  /** Points received from other agents, which branches here are cloned from (see transfer/). */
  get points(): string {
    return `${this.root}/points`;
  }

  receivedPoint(pointId: string): string {
    return `${this.points}/${resourceId(pointId, 'pointId')}`;
  }

  receivedPointSource(pointId: string, sourceId: string): string {
    return `${this.receivedPoint(pointId)}/${resourceId(sourceId, 'sourceId')}`;
  }

  template(templateId: string): string {
    return `${this.templates}/${resourceId(templateId, 'templateId')}`;
  }

  templateSource(templateId: string, sourceId: string): string {
    return `${this.template(templateId)}/${resourceId(sourceId, 'sourceId')}`;
  }

  /** The recursive snapshot of a template version. */
  templateVersion(templateId: string, version: string): string {
    return `${this.template(templateId)}@${resourceId(version, 'version')}`;
  }

  container(containerId: string): string {
    return `${this.containers}/${resourceId(containerId, 'containerId')}`;
  }

  branch(containerId: string, branchId: string): string {
    return `${this.container(containerId)}/${resourceId(branchId, 'branchId')}`;
  }

  generation(containerId: string, branchId: string, generationId: string): string {
    return `${this.branch(containerId, branchId)}/${resourceId(generationId, 'generationId')}`;
  }

  source(containerId: string, branchId: string, generationId: string, sourceId: string): string {
    return `${this.generation(containerId, branchId, generationId)}/${resourceId(sourceId, 'sourceId')}`;
  }

  /** The datasets of a generation's sources, in the order of `sourceIds`. */
  sources(
    containerId: string,
    branchId: string,
    generationId: string,
    sourceIds: string[],
  ): string[] {
    return sourceIds.map((sourceId) => this.source(containerId, branchId, generationId, sourceId));
  }

  /** The recursive snapshot of a point: one per generation dataset. */
  point(containerId: string, branchId: string, generationId: string, pointId: string): string {
    return `${this.generation(containerId, branchId, generationId)}@${resourceId(pointId, 'pointId')}`;
  }
}

/** `a/b@s` -> `a/b`; `a/b` -> `a/b`. */
export function datasetOf(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name : name.slice(0, at);
}

/** `a/b@s` -> `s`. */
export function snapshotOf(name: string): string | null {
  const at = name.indexOf('@');
  return at < 0 ? null : name.slice(at + 1);
}

/** The last path segment: `a/b/c` -> `c`. */
export function leafOf(name: string): string {
  const dataset = datasetOf(name);
  return dataset.slice(dataset.lastIndexOf('/') + 1);
}

/** Whether `name` is `ancestor` itself or below it (datasets and their snapshots). */
export function isWithin(name: string, ancestor: string): boolean {
  return name === ancestor || name.startsWith(`${ancestor}/`) || name.startsWith(`${ancestor}@`);
}
