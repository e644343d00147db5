import { AgentFailure } from '../../common/agent-failure.js';
import type { Engine, IngestTarget, IngestedSource } from '../engine.js';
import { emptyDirectory } from '../empty-directory.js';
import { copyDirectory } from './directory-copy.js';

/** Directory sources: an rsync copy at ingest; clones are mounted datasets that serve nothing. */
export class DirectoryEngine implements Engine {
  readonly kind = 'directory' as const;
  readonly servers = null;

  async ingest(target: IngestTarget): Promise<IngestedSource> {
    if (target.source.kind !== 'directory')
      throw new AgentFailure(500, 'internal', `source ${target.source.id} is not a directory`);
    await emptyDirectory(target.dataDir);
    await copyDirectory(target.source.path, target.dataDir);
    return {};
  }
}
