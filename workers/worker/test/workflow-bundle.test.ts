/**
 * What the workflow bundle holds. With Temporal's reusable V8 context every cached workflow
 * evaluates its own copy of the modules the workflow code imports, so a library bundled there is
 * paid once per cached conversation: zod and Baton's schemas cost about 1.5 MB of heap each, which
 * put 1,000 waiting conversations above the worker's 1 GB memory target (docs/performance.md).
 */
import { bundleBatonWorkflows } from '../src/worker';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('the workflow bundle', () => {
  let code = '';
  beforeAll(async () => {
    code = (await bundleBatonWorkflows({ logger: quiet })).code;
  }, 120_000);

  it('holds the journey workflow', () => {
    expect(code).toContain('journeyWorkflow');
  });

  it('holds no zod and no zod schema module of @baton/schemas', () => {
    const bundledModules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"/gm)].map((match) => match[1] as string);
    expect(bundledModules.length).toBeGreaterThan(0);
    expect(bundledModules.filter((path) => /node_modules\/zod\//.test(path))).toEqual([]);
    expect(
      // The zod-free modules the interpreter imports by subpath are allowed.
      bundledModules.filter(
        (path) =>
          /schemas\/src\//.test(path) &&
          !/schemas\/src\/(rule-operators|builtin-activity-names|secrets)\.ts$/.test(path),
      ),
    ).toEqual([]);
  });
});
