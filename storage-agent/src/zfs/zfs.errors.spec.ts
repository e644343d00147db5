import { describe, expect, it } from 'vitest';
import {
  ZfsBusyError,
  ZfsExistsError,
  ZfsHasDependentsError,
  ZfsNotFoundError,
  mapZfsError,
} from './zfs.errors.js';

describe('mapZfsError', () => {
  it('names the dependent clones of a snapshot', () => {
    const stderr = [
      "cannot destroy 'tank/bp/templates/t1/db@v1': snapshot has dependent clones",
      "use '-R' to destroy the following datasets:",
      'tank/bp/containers/c1/main/g0/db',
      'tank/bp/containers/c2/main/g0/db',
      '',
    ].join('\n');
    const error = mapZfsError('zfs', ['destroy', 'tank/bp/templates/t1/db@v1'], stderr);
    expect(error).toBeInstanceOf(ZfsHasDependentsError);
    expect((error as ZfsHasDependentsError).dependents).toEqual([
      'tank/bp/containers/c1/main/g0/db',
      'tank/bp/containers/c2/main/g0/db',
    ]);
  });

  it.each([
    ["cannot open 'tank/x': dataset does not exist", ZfsNotFoundError],
    ["cannot release 'h1' from 'tank/x@p': no such tag on this dataset", ZfsNotFoundError],
    ["cannot create snapshot 'tank/x@p': dataset already exists", ZfsExistsError],
    ["cannot hold 'tank/x@p': tag already exists on this dataset", ZfsExistsError],
    ["cannot destroy 'tank/x@p': dataset is busy", ZfsBusyError],
  ])('maps %s', (stderr, type) => {
    const error = mapZfsError('zfs', ['x'], stderr);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain(stderr);
  });
});
