// Jest projects, one per tier (docs/testing.md):
// - unit: compiler, core, simulator, AI, SDK; no servers, no bootstrap (`npm run test:unit`).
// - integration: *.integration.test.ts against ONE real Temporal dev server and ONE Mongo-wire server
//   started by test/global-setup.ts for the whole run (TEMPORAL_ADDRESS / MONGODB_URI; see
//   test/helpers/servers.ts). BATON_TEST_SERVERS=0 skips starting them.
// - e2e: e2e/**/*.e2e.test.ts, the web apps in headless Chromium against the same servers.
// - designer: the web app's component tests in jsdom with Testing Library.
// `npm test` runs every project. TypeScript is compiled by @swc/jest to CommonJS.
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

const packageRoots = ['schemas', 'engine', 'workers', 'examples'].map((dir) => `<rootDir>/${dir}`);

const nodeDefaults = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'cjs', 'mjs', 'json'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  modulePathIgnorePatterns: ['<rootDir>/.baton/', '<rootDir>/designer/'],
};

const withServers = {
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};

/** @type {import('jest').Config} */
const unitProject = {
  ...nodeDefaults,
  displayName: 'unit',
  roots: packageRoots,
  testMatch: ['**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.integration\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
};

/** @type {import('jest').Config} */
const integrationProject = {
  ...nodeDefaults,
  ...withServers,
  displayName: 'integration',
  roots: packageRoots,
  testMatch: ['**/test/**/*.integration.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};

/** @type {import('jest').Config} */
const e2eProject = {
  ...nodeDefaults,
  ...withServers,
  displayName: 'e2e',
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
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
  projects: [unitProject, integrationProject, e2eProject, designerProject],
  testTimeout: 60_000,
};
