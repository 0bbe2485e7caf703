/**
 * Archiving a journey on the real stack: PUT /api/journeys/:id/archived hides it from the designer's
 * list (the list still answers it, flagged, so it can be restored) and keeps its versions; saving the
 * draft keeps the flag; restoring clears it; the body is validated (400 naming /archived) and an
 * unknown journey is 404. Who may call it is in access.integration.test.ts.
 */
import request from 'supertest';
import { authStoreOf, issueApiKey } from '../src/api/auth';
import { startTestStack, type TestStack } from '@baton/test-support/stack';

jest.setTimeout(120_000);

let stack: TestStack;
let designerKey: string;
beforeAll(async () => {
  stack = await startTestStack({ worker: false, auth: { tokenSecret: 'archive-test-secret-0123456789abcdefghijk' } });
  const users = authStoreOf(stack.store.collection('users').db);
  await users.ensureIndexes();
  designerKey = await issueApiKey(users, { name: 'Dee (CI)', roles: ['designer'], createdBy: 'test' });
});
afterAll(async () => {
  await stack?.stop();
});

const as = (method: 'get' | 'post' | 'put', path: string) =>
  request(stack.app)[method](path).set('authorization', `Bearer ${designerKey}`);

const journey = {
  id: 'archive-me',
  name: 'Archive me',
  schemaVersion: 1,
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'end', type: 'end', position: { x: 0, y: 100 }, data: { outcome: 'resolved_by_bot' } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'end' }],
};

const listed = async () =>
  ((await as('get', '/api/journeys').expect(200)).body.journeys as { id: string; archivedAt?: string }[]).find(
    (j) => j.id === 'archive-me',
  );

it('archives, keeps the flag through a save, and restores', async () => {
  await as('post', '/api/journeys').send(journey).expect(201);
  expect((await listed())?.archivedAt).toBeUndefined();

  const archived = await as('put', '/api/journeys/archive-me/archived').send({ archived: true }).expect(200);
  expect(archived.body.journey).toMatchObject({ id: 'archive-me', archivedBy: 'API key "Dee (CI)"' });
  expect(Date.parse(archived.body.journey.archivedAt)).not.toBeNaN();
  expect((await listed())?.archivedAt).toBe(archived.body.journey.archivedAt);

  // A designer still editing it elsewhere saves: the journey stays archived.
  await as('put', '/api/journeys/archive-me')
    .send({ ...journey, name: 'Archive me (edited)' })
    .expect(200);
  expect(await listed()).toMatchObject({ archivedAt: archived.body.journey.archivedAt });

  const restored = await as('put', '/api/journeys/archive-me/archived').send({ archived: false }).expect(200);
  expect(restored.body.journey.archivedAt).toBeUndefined();
  expect(restored.body.journey.archivedBy).toBeUndefined();
  expect((await listed())?.archivedAt).toBeUndefined();
});

it('refuses a body without a boolean archived (naming the field) and an unknown journey', async () => {
  const bad = await as('put', '/api/journeys/archive-me/archived').send({ archived: 'yes' }).expect(400);
  expect(JSON.stringify(bad.body)).toContain('/archived');
  await as('put', '/api/journeys/archive-me/archived').send({ archived: true, extra: 1 }).expect(400);
  await as('put', '/api/journeys/no-such-journey/archived').send({ archived: true }).expect(404);
});
