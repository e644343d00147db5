// One lint configuration for every project; Nx module boundaries keep the layers apart.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.angular/**',
      '.tools/**',
      '.data/**',
      '.nx/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The bench and the scripts' helpers are plain Node modules.
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:agent', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:backend',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing'],
            },
            {
              sourceTag: 'scope:frontend',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing'],
            },
            { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:shared', 'scope:testing'] },
          ],
        },
      ],
    },
  },
  {
    // Production code never imports test tooling: it would ship, or fail to start without it.
    files: ['**/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.e2e.ts',
      '**/*.e2e.spec.ts',
      '**/testing/**',
      'libs/testing/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@branchpoint/testing',
                '@branchpoint/testing/*',
                'vitest',
                'vitest/*',
                '@angular/*/testing',
                '@angular/common/http/testing',
                '@nestjs/testing',
                'playwright-core',
                'jsdom',
              ],
              message:
                'test tooling belongs in specs, e2e/ and testing/ folders, not in production code',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
