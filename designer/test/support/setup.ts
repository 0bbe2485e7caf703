import '@testing-library/jest-dom';
import { webcrypto } from 'node:crypto';
import { TextDecoder, TextEncoder } from 'node:util';
import { deserialize, serialize } from 'node:v8';

// jsdom lacks a few browser APIs the designer (and React Flow) use; Node's own implementations stand in.
const g = globalThis as unknown as Record<string, unknown>;
if (!(g.crypto as Crypto | undefined)?.getRandomValues)
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto });
if (!g.structuredClone) g.structuredClone = <T>(value: T): T => deserialize(serialize(value)) as T;
if (!g.TextEncoder) g.TextEncoder = TextEncoder;
if (!g.TextDecoder) g.TextDecoder = TextDecoder;
if (!g.ResizeObserver) {
  g.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}
if (typeof Blob.prototype.text !== 'function') {
  Blob.prototype.text = function text(this: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error);
      reader.readAsText(this);
    });
  };
}
// React Flow reads the viewport's scale from the transform when it measures handles (updateNodeInternals).
if (!g.DOMMatrixReadOnly) {
  g.DOMMatrixReadOnly = class {
    m22: number;
    constructor(transform?: string) {
      const scale = transform?.match(/scale\(([0-9.]+)\)/)?.[1];
      this.m22 = scale !== undefined ? Number(scale) : 1;
    }
  };
}
