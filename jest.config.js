// Root Jest config for the Baton monorepo (schemas, engine, workers, examples).
// TypeScript is compiled by @swc/jest to CommonJS. One Temporal dev server and one
// MongoDB wire server are started for the whole run by test/global-setup.ts and
// exposed to tests as TEMPORAL_ADDRESS / MONGODB_URI (see test/helpers/servers.ts).
// Set BATON_TEST_SERVERS=0 to skip starting them (for tests that need neither).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  roots: ['schemas', 'engine', 'workers', 'examples']
    .filter((dir) => existsSync(join(__dirname, dir)))
    .map((dir) => `<rootDir>/${dir}`),
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/designer/', '<rootDir>/.baton/'],
  modulePathIgnorePatterns: ['<rootDir>/.baton/', '<rootDir>/designer/'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'cjs', 'mjs', 'json'],
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        swcrc: false,
        sourceMaps: 'inline',
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
};
