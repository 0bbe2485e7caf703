/**
 * The password-reset journey written by hand as a plain Temporal workflow: the baseline the
 * benchmark measures the interpreter against. Same activities, same messages, same Updates,
 * same branches as examples/password-reset/journey.json; no interpreter, no journey data.
 */
import {
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import { customerMessageUpdate, openedUpdate, surveyUpdate, type MessageResult } from '@baton/workflow/definitions';

interface Entry {
  seq: number;
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at: number;
}

type Activity = (input: unknown) => Promise<Record<string, unknown>>;
interface Activities {
  'baton.classify': Activity;
  'baton.openTicket': Activity;
  'baton.sendTranscript': Activity;
  'baton.recordSurvey': Activity;
  'baton.finishConversation': Activity;
  'accounts.sendResetLink': Activity;
}
const retry = { maximumAttempts: 3, initialInterval: 1000, backoffCoefficient: 2, maximumInterval: 10_000 };
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: 10_000,
  retry: { ...retry, maximumAttempts: 2, maximumInterval: 5000 },
});
const remote = proxyActivities<Activities>({ startToCloseTimeout: 10_000, retry });
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: 30_000,
  retry: { maximumAttempts: 10, maximumInterval: 30_000 },
});

const resetExamples = [
  'I forgot my password',
  "I can't log in",
  'reset my password',
  "I'm locked out of my account",
  "my password doesn't work",
  'help me recover my account',
];
const humanExamples = [
  'let me talk to a person',
  'I want to speak to a human',
  'get me an agent',
  'connect me with customer service',
  'real person please',
];
const yesExamples = ['yes it worked', 'yes thanks', 'all good now', 'that did it', "I'm in", 'it works now, thank you'];
const noExamples = [
  'no',
  "it didn't work",
  "still can't log in",
  'the link is broken',
  'nothing arrived',
  'I never got the email',
];

export interface HandwrittenInput {
  conversationId: string;
  customer: { id: string; name?: string; email?: string };
}

export async function handwrittenPasswordReset(input: HandwrittenInput): Promise<string> {
  const transcript: Entry[] = [];
  const replies = new Map<string, number>();
  const pending: { id: string; text: string }[] = [];
  let survey: { ces?: number; csat?: number } | undefined;
  let busy = true;
  let ended = false;
  const say = (text: string, from: Entry['from'] = 'bot') =>
    transcript.push({ seq: transcript.length + 1, from, text, at: Date.now() });
  const view = () => ({ transcript, ended });

  setHandler(openedUpdate, async () => {
    await condition(() => !busy);
    return view() as never;
  });
  setHandler(customerMessageUpdate, async (message): Promise<MessageResult> => {
    if (!replies.has(message.clientMessageId)) {
      say(message.text, 'customer');
      replies.set(message.clientMessageId, transcript.length);
      pending.push({ id: message.clientMessageId, text: message.text });
      busy = true;
    }
    await condition(() => !busy);
    const from = replies.get(message.clientMessageId) as number;
    const answer: Entry[] = [];
    for (const entry of transcript.slice(from)) {
      if (entry.from === 'customer') break;
      answer.push(entry);
    }
    return { replies: answer as never, duplicate: false, conversation: view() as never };
  });
  setHandler(surveyUpdate, async (answer) => {
    survey = answer;
    busy = true;
    await condition(() => !busy);
    return view() as never;
  });

  const reply = async (timeoutMs: number): Promise<string | undefined> => {
    busy = false;
    const arrived = await condition(() => pending.length > 0, timeoutMs);
    return arrived ? pending.shift()?.text : undefined;
  };
  const classify = (text: string, intents: { name: string; examples: string[] }[]) =>
    local['baton.classify']({ text, intents, minConfidence: 0.3 }) as Promise<{
      intent: string | null;
      confidence: number;
      sentiment: { score: number };
    }>;
  const journey = { id: 'password-reset', version: 1, hash: 'hand-written' };
  const startedAt = Date.now();
  const finish = async (outcome: string) => {
    // The same record the interpreter keeps, so both write the same projection.
    const conversation = {
      conversationId: input.conversationId,
      channel: 'bench',
      journey,
      status: 'ended',
      nodeId: null,
      waiting: null,
      vars: {},
      customer: input.customer,
      intent: null,
      sentiment: { score: 0, label: 'neutral', history: [] },
      counters: { turns: replies.size, failures: 0, lowConfidence: 0, visits: {} },
      lastMessage: '',
      transcript,
      path: [],
      handoffs: [],
      survey: survey ? { ...survey, at: Date.now() } : null,
      outcome,
      startedAt,
      endedAt: Date.now(),
    };
    await bookkeeping['baton.finishConversation']({ conversation });
    ended = true;
    busy = false;
    await condition(allHandlersFinished);
    return outcome;
  };
  const followup = async (message: string, outcome: string) => {
    say(message);
    await bookkeeping['baton.sendTranscript']({
      conversationId: input.conversationId,
      customer: input.customer,
      transcript,
    });
    say(
      'Please tell us how easy it was to handle your issue (1 = very hard, 7 = very easy), and how satisfied are you (1 to 5).',
    );
    busy = false;
    if (await condition(() => survey !== undefined, 86_400_000)) {
      await bookkeeping['baton.recordSurvey']({
        conversationId: input.conversationId,
        journey,
        customerId: input.customer.id,
        ...survey,
        at: Date.now(),
      });
    }
    return finish(outcome);
  };
  const handoff = async () => {
    say("I'm bringing in a specialist who can dive deeper into this for you.");
    await bookkeeping['baton.openTicket']({
      ticketId: `${input.conversationId}-1`,
      conversationId: input.conversationId,
      queue: 'accounts',
      priority: 'high',
      transcript,
    });
    busy = false;
    // The benchmark's scripts never reach a person; a real hand-written version would wait for one here.
    return finish('abandoned');
  };

  say(`Hi ${input.customer.name ?? ''}, I'm the Baton assistant.`);
  say('How can I help you today?');
  const request = await reply(900_000);
  if (request === undefined) return finish('abandoned');
  const triage = await classify(request, [
    { name: 'reset_password', examples: resetExamples },
    { name: 'human', examples: humanExamples },
  ]);
  if (triage.intent !== 'reset_password' || triage.confidence < 0.3) return handoff();
  let sentiment = triage.sentiment.score;
  let attempts = 0;
  for (;;) {
    if (sentiment < -0.4 || attempts >= 2) return handoff();
    try {
      await remote['accounts.sendResetLink']({ email: input.customer.email, customerId: input.customer.id });
    } catch {
      return handoff();
    }
    say(`I've sent a reset link to ${input.customer.email ?? ''}. Did it work?`);
    const answer = await reply(900_000);
    if (answer === undefined) return finish('abandoned');
    const worked = await classify(answer, [
      { name: 'yes', examples: yesExamples },
      { name: 'no', examples: noExamples },
    ]);
    sentiment = worked.sentiment.score;
    if (worked.intent === 'yes' && worked.confidence >= 0.3) return followup('Glad that worked!', 'resolved_by_bot');
    attempts += 1;
    say('Sorry about that, let me try again.');
  }
}

/**
 * The smallest possible Update round trip: the floor any message→reply path is compared with.
 * With `classify`, the handler also runs the same local classify activity the interpreter runs.
 */
export async function bareUpdateWorkflow(options: { classify: boolean }): Promise<void> {
  let done = false;
  setHandler(customerMessageUpdate, async (message) => {
    if (message.text === 'bye') done = true;
    else if (options.classify)
      await local['baton.classify']({
        text: message.text,
        intents: [{ name: 'greeting', examples: ['hello', 'hi there'] }],
        minConfidence: 0.3,
      });
    return { replies: [], duplicate: false, conversation: null as never };
  });
  await condition(() => done);
}
