/**
 * A tiny local HTTP server that speaks the OpenAI chat-completions wire format
 * (POST /v1/chat/completions). No hosted model is reachable from the test machines, so the
 * OpenAI-compatible provider is tested against this stand-in: it records every request body and
 * answers as the test decides (a JSON answer, an HTTP error, silence, a 400 for response_format).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  [key: string]: unknown;
}

export type FakeBehaviour =
  /** `finishReason` "stop" unless given ("length": the server cut the reply at max_tokens). */
  | { kind: 'answer'; content: (request: ChatRequest) => string; finishReason?: string }
  | { kind: 'status'; status: number; message: string }
  /** Never answers (until the server closes). */
  | { kind: 'hang' }
  /** 400 when the request carries response_format, like servers without structured outputs; answers otherwise. */
  | { kind: 'no-structured-output'; content: (request: ChatRequest) => string };

export interface FakeOpenAi {
  baseURL: string;
  requests: ChatRequest[];
  behave(behaviour: FakeBehaviour): void;
  close(): Promise<void>;
}

function completion(model: string, content: string, finishReason = 'stop') {
  return {
    id: `chatcmpl-fake-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finishReason, logprobs: null },
    ],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

export async function startFakeOpenAi(initial: FakeBehaviour): Promise<FakeOpenAi> {
  let behaviour = initial;
  const requests: ChatRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.method !== 'POST' || !request.url?.endsWith('/chat/completions'))
        return send(response, 404, { error: { message: 'not found' } });
      const body = JSON.parse(raw) as ChatRequest;
      requests.push(body);
      switch (behaviour.kind) {
        case 'answer':
          return send(response, 200, completion(body.model, behaviour.content(body), behaviour.finishReason));
        case 'status':
          return send(response, behaviour.status, { error: { message: behaviour.message, type: 'server_error' } });
        case 'hang':
          hanging.add(response);
          return undefined;
        case 'no-structured-output':
          if (body.response_format)
            return send(response, 400, {
              error: { message: 'response_format is not supported', type: 'invalid_request_error' },
            });
          return send(response, 200, completion(body.model, behaviour.content(body)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    behave(next) {
      behaviour = next;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The text of the user message (the customer's words as the provider sent them). */
export function userText(request: ChatRequest): string {
  return request.messages
    .filter((message) => message.role === 'user')
    .map((message) => message.content)
    .join('\n');
}
