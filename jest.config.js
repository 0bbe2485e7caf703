// Root Jest config for the Baton monorepo. Two projects:
// - "node": schemas, engine, workers, examples. TypeScript is compiled by @swc/jest to CommonJS. One
//   Temporal dev server and one MongoDB wire server are started for the whole run by
//   test/global-setup.ts and exposed to tests as TEMPORAL_ADDRESS / MONGODB_URI (see
//   test/helpers/servers.ts). Set BATON_TEST_SERVERS=0 to skip starting them (for tests that need neither).
// - "designer": component tests of the designer (designer/test/**/*.test.tsx) in jsdom with Testing
//   Library; they need no servers. Run one project with `npx jest --selectProjects designer`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const swc = [
  '@swc/jest',
  {
    swcrc: false,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
const nodeProject = {
  displayName: 'node',
  rootDir: __dirname,
  roots: ['schemas', 'engine', 'workers', 'examples']
    .filter((dir) => existsSync(join(__dirname, dir)))
    .map((dir) => `<rootDir>/${dir}`),
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/designer/', '<rootDir>/.baton/'],
  modulePathIgnorePatterns: ['<rootDir>/.baton/', '<rootDir>/designer/'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'cjs', 'mjs', 'json'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};

/** @type {import('jest').Config} */
const designerProject = {
  displayName: 'designer',
  rootDir: __dirname,
  roots: ['<rootDir>/designer/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/'],
  modulePathIgnorePatterns: ['<rootDir>/.baton/', '<rootDir>/designer/dist/'],
  testEnvironment: 'jsdom',
  // Browser builds of packages that have them (as Vite picks), CommonJS where they only ship that.
  testEnvironmentOptions: { customExportConditions: ['browser', 'require', 'default'] },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'cjs', 'mjs', 'json'],
  moduleNameMapper: { '\\.css$': '<rootDir>/designer/test/support/style-stub.js' },
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@xyflow|react-querybuilder)/)'],
  setupFilesAfterEnv: ['<rootDir>/designer/test/support/setup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [nodeProject, designerProject],
  testTimeout: 60_000,
};
