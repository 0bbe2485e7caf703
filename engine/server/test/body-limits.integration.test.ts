/**
 * Every request body is bounded before any route reads it: nesting deeper than 32 levels answers 400
 * naming where, and `/api/classify` reads at most 64 KB.
 */
import request from 'supertest';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ worker: false });
});
afterAll(async () => {
  await stack?.stop();
});

/** `{ a: { a: … { a: 1 } } }` with `depth` objects, as raw JSON (no recursion to build or serialise it). */
function nestedJson(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** The pointer to the first value past 32 levels: 32 segments from the body, `prefix` holding the first few. */
function pointerBelow(prefix: string): string {
  return prefix + '/a'.repeat(32 - prefix.split('/').length + 1);
}

describe('JSON nesting depth', () => {
  it.each([5000, 200])('refuses a start body with variables nested %i deep: 400 naming the field', async (depth) => {
    const body = `{"journeyId":"password-reset","customer":{"id":"c-deep"},"channel":"web","variables":${nestedJson(depth)}}`;
    const res = await request(stack.app)
      .post('/api/conversations')
      .set('content-type', 'application/json')
      .send(body)
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    // The body is level 1, variables level 2 … the object at level 33 is refused.
    const where = pointerBelow('/variables');
    expect(res.body.errors).toEqual([expect.objectContaining({ path: where })]);
    expect(res.body.detail).toContain(where);
  });

  it.each([5000, 200])('refuses a journey draft nested %i deep the same way', async (depth) => {
    const res = await request(stack.app)
      .post('/api/journeys')
      .set('content-type', 'application/json')
      .send(`{"id":"deep","nodes":[${nestedJson(depth)}]}`)
      .expect(400);
    expect(res.body.errors[0].path).toBe(pointerBelow('/nodes/0'));
  });

  it('refuses a deep array as well, and accepts 32 levels (then the route validates as usual)', async () => {
    const deepArray = '['.repeat(40) + ']'.repeat(40);
    const refused = await request(stack.app)
      .post('/api/triage')
      .set('content-type', 'application/json')
      .send(`{"text":${deepArray}}`)
      .expect(400);
    expect(refused.body.errors[0].path).toBe('/text' + '/0'.repeat(31));
    const atTheLimit = await request(stack.app)
      .post('/api/triage')
      .set('content-type', 'application/json')
      .send(`{"text":"hi","extra":${nestedJson(31)}}`);
    expect(atTheLimit.status).toBe(200);
  });
});

describe('POST /api/classify body size', () => {
  it('answers 413 problem+json naming the limit for a body over 64 KB, quickly', async () => {
    const examples = Array.from({ length: 200 }, (_, i) => `example phrase number ${i} `.repeat(18).slice(0, 500));
    const body = { text: 'x'.repeat(4000), intents: [{ name: 'big', examples }] };
    expect(JSON.stringify(body).length).toBeGreaterThan(64 * 1024);
    const res = await request(stack.app).post('/api/classify').send(body).expect(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toContain('64kb');
  });

  it('still reads a body just under the limit', async () => {
    const examples = Array.from({ length: 100 }, (_, i) => `please reset my password, attempt ${i}`);
    const res = await request(stack.app)
      .post('/api/classify')
      .send({ text: 'I forgot my password', intents: [{ name: 'reset_password', examples }] })
      .expect(200);
    expect(res.body.intent).toBe('reset_password');
  });
});
