/**
 * The fault suite's client and the survey, which has no client id: a retried survey whose first
 * attempt landed (its answer cut by a restart, seen in a prod fault-suite run) is answered 200 by the
 * API when the conversation holds the same answer; a different answer still fails the driver.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seedExamples } from '@baton/cli/dev/stack';
import { startTestStack, type TestStack } from '@baton/test-support/stack';
import { ChaosDriver } from '../driver';

jest.setTimeout(180_000);

let stack: TestStack;
let server: Server;
let driver: ChaosDriver;
beforeAll(async () => {
  stack = await startTestStack();
  await seedExamples(stack.store, { author: 'driver test', strict: true });
  server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  driver = new ChaosDriver({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, thinkMs: [0, 1] });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
});

/** A password reset the bot resolves, left waiting for its survey answer. */
async function atSurvey(index: number) {
  const conversation = await driver.start(index, 'reset-bot', `survey-${Date.now().toString(36)}`);
  await driver.firstTurn(conversation);
  await driver.say(conversation, 'Yes it worked, thanks!');
  return conversation;
}

test('a survey answered already with the same answer counts; another answer still fails', async () => {
  const landed = await atSurvey(1);
  // The attempt whose answer was lost: it landed and ended the conversation.
  expect(
    (await driver.once('POST', `/api/conversations/${landed.conversationId}/survey`, { ces: 6, csat: 5 })).status,
  ).toBe(200);
  await expect(driver.answerSurvey(landed)).resolves.toBeUndefined();

  const other = await atSurvey(2);
  expect(
    (await driver.once('POST', `/api/conversations/${other.conversationId}/survey`, { ces: 2, csat: 1 })).status,
  ).toBe(200);
  await expect(driver.answerSurvey(other)).rejects.toThrow(/survey answered 409: .*the conversation has ended/);
});
