import type { Logger } from '@nestjs/common';
import type { ObjectLiteral, Repository } from 'typeorm';
import type { SecretBox } from './secret-box.js';

/**
 * Seals again with the current key the values of `column` stored in plaintext (before
 * encryption at rest) or with a previous key (during a rotation). Each update is conditional
 * on the stored value, so replicas starting together do not overwrite each other; until then
 * reads still open such values. A value no key opens is logged and left as it is.
 */
export async function resealStored<Row extends ObjectLiteral & { id: string }>(
  repository: Repository<Row>,
  column: keyof Row & string,
  secrets: SecretBox,
  logger: Logger,
): Promise<void> {
  const what = `${repository.metadata.name.toLowerCase()} ${column}`;
  for (const row of await repository.find()) {
    const stored = row[column] as string;
    try {
      if (secrets.isCurrent(stored)) continue;
      const sealed = secrets.seal(secrets.open(stored));
      await repository.update(
        { id: row.id, [column]: stored } as never,
        { [column]: sealed } as never,
      );
      logger.log(`${what} of ${row.id} encrypted with the current BP_SECRET_KEY`);
    } catch (error) {
      logger.error(`${what} of ${row.id}: ${(error as Error).message}`);
    }
  }
}
