import { describe, expect, it } from 'vitest';
import { fixedSettings } from './server-config.js';
import { assertChangeable } from './server-parameters.js';

describe('assertChangeable', () => {
  it('refuses every parameter the agent fixes on the command line', () => {
    const fixed = fixedSettings({
      port: 1,
      socketDir: '/s',
      listen: '*',
      files: {
        configFile: '/c',
        hbaFile: '/h',
        identFile: '/i',
        tls: { certFile: '/t', keyFile: '/k' },
      },
    });
    for (const name of Object.keys(fixed))
      expect(() => assertChangeable(name), name).toThrow(/cannot be changed/);
  });

  it('lets tuning parameters through', () => {
    for (const name of ['work_mem', 'shared_buffers', 'random_page_cost', 'pg_stat_statements.max'])
      expect(() => assertChangeable(name)).not.toThrow();
  });
});
