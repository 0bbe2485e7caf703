// Lint for every package: typescript-eslint, import rules that keep packages one-way (no cycles, no
// reaching into another package by a relative path, no undeclared dependency), React hooks in the
// web app. Formatting is Prettier's (.prettierrc.json); `npm run lint` allows no warning.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.baton/**',
      'coverage/**',
      'test-artifacts/**',
      'tools/**',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { import: importX },
    languageOptions: { globals: { ...globals.node } },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'designer/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs'],
    },
    rules: {
      'import/no-cycle': 'error',
      'import/no-relative-packages': 'error',
      'import/no-extraneous-dependencies': [
        'error',
        {
          devDependencies: [
            '**/test/**',
            '**/bench/**',
            '**/chaos/**',
            '**/scripts/**',
            'e2e/**',
            'test/**',
            '**/*.config.*',
            'designer/widget/build.mts',
          ],
          includeTypes: true,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
    },
  },
  // Where code may run, per package: the contracts and the core are isomorphic (the browser and the
  // Temporal sandbox import them), the workflow only reaches what the sandbox allows, and the web app
  // never pulls a server package.
  {
    files: ['schemas/src/**/*.ts', 'engine/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'contracts and core are isomorphic: no Node API' },
            { group: ['@temporalio/*'], message: 'the core runs in three hosts: Temporal stays in @baton/workflow' },
            { group: ['mongodb', 'express'], message: 'contracts and core depend on nothing but each other' },
            {
              regex: '^@baton/(?!(core|schemas)(/|$))',
              message: 'contracts and core depend on nothing but each other',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['engine/workflow/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'mongodb', 'express'], message: 'workflow code runs in the Temporal sandbox' },
            { regex: '^@temporalio/(?!(workflow|common)(/|$))', message: 'workflow code runs in the Temporal sandbox' },
            { regex: '^@baton/(?!(core|schemas)(/|$))', message: 'the workflow hosts the core only' },
          ],
        },
      ],
    },
  },
  {
    files: ['designer/src/**/*.{ts,tsx}', 'designer/widget/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'mongodb', 'express', '@temporalio/*'], message: 'the web app runs in the browser' },
            {
              regex: '^@baton/(?!(core|schemas)(/|$))',
              message: 'the web app imports the contracts and the core only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['designer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    // The classic rules of hooks. The React Compiler's stricter rules (refs, set-state-in-effect,
    // immutability) are not on yet: the web app predates them (see docs/architecture.md).
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  prettier,
);
