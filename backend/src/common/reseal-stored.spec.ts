import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { resealStored } from './reseal-stored.js';
import { SecretBox } from './secret-box.js';

const key = randomBytes(32);
const previousKey = randomBytes(32);
const logger = new Logger('test');

/** A repository stub over stored rows `{id: token}`. */
function repositoryWith(tokens: Record<string, string>) {
  const rows = Object.entries(tokens).map(([id, token]) => ({ id, token }));
  const update = vi.fn(async (_where: object, _values: object) => ({ affected: 1 }));
  return { repository: { metadata: { name: 'Host' }, find: async () => rows, update }, update };
}

describe('resealStored', () => {
  it('seals plaintext values and those of a previous key, only where still unchanged', async () => {
    const secrets = new SecretBox([key, previousKey]);
    const { repository, update } = repositoryWith({
      legacy: 'plain-token',
      rotated: new SecretBox([previousKey]).seal('old-key-token'),
      current: secrets.seal('current-token'),
    });
    await resealStored(repository as never, 'token', secrets, logger);

    expect(update.mock.calls.map(([where]) => (where as { id: string }).id)).toEqual([
      'legacy',
      'rotated',
    ]);
    const [where, { token }] = update.mock.calls[0]! as unknown as [
      { token: string },
      { token: string },
    ];
    expect(where.token).toBe('plain-token');
    expect(secrets.isCurrent(token)).toBe(true);
    expect(secrets.open(token)).toBe('plain-token');
  });

  it('leaves a value no key opens as stored, and goes on', async () => {
    const { repository, update } = repositoryWith({
      lost: new SecretBox([randomBytes(32)]).seal('lost-token'),
    });
    await expect(
      resealStored(repository as never, 'token', new SecretBox([key]), logger),
    ).resolves.toBeUndefined();
    expect(update).not.toHaveBeenCalled();
  });
});
