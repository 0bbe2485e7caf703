/**
 * Jest's node environment with Node's own typed-array constructors: onnxruntime-node returns tensors
 * built on them, and onnxruntime-common (loaded inside the test's sandbox) checks `instanceof`
 * against the sandbox's, which are other functions. Test files that embed name it in a docblock:
 *   /** @jest-environment ./test/helpers/onnx-environment.js *\/
 */
// jest-environment-node comes with jest (the default `testEnvironment: 'node'`).
// eslint-disable-next-line import/no-extraneous-dependencies
const { TestEnvironment } = require('jest-environment-node');

const typedArrays = [
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Uint8Array',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of typedArrays) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxEnvironment;
