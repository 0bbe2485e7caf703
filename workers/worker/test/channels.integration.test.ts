/**
 * Outbound channel adapters against real receivers written here: an HTTP server for the webhook
 * (checking the HMAC signature as a receiver would) and a minimal SMTP server over node:net that
 * holds a real SMTP conversation with nodemailer (EHLO, MAIL FROM, RCPT TO, DATA). Then the
 * transcript activity end to end through the configured channel, sent once per conversation.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { connectStore, type Store } from '@baton/store';
import { builtinActivities } from '../src/activities/builtin';
import { createActivityRegistry, type ActivityRegistry } from '../src/registry';
import { EmbeddedAiProvider } from '@baton/ai';
import { channelFromEnv, signatureHeader, smtpChannel, webhookChannel, webhookSignature } from '../src/channels';
import { requireServers, uniqueDbName } from '@baton/test-support/servers';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A webhook receiver: answers `status` and keeps what it got. */
async function webhookReceiver(status = 204): Promise<{ url: string; received: Received[]; server: HttpServer }> {
  const received: Received[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/baton`, received, server };
}

interface Mail {
  from: string;
  to: string[];
  data: string;
}

/** Just enough of RFC 5321 for one client: greeting, EHLO, MAIL, RCPT, DATA (dot-terminated), QUIT. */
async function smtpReceiver(): Promise<{ url: string; mails: Mail[]; transcript: string[]; server: TcpServer }> {
  const mails: Mail[] = [];
  const transcript: string[] = [];
  const server = createTcpServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let mail: Mail = { from: '', to: [], data: '' };
    const reply = (line: string) => {
      transcript.push(`S: ${line}`);
      socket.write(`${line}\r\n`);
    };
    reply('220 test.local ESMTP ready');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push(mail);
          mail = { from: '', to: [], data: '' };
          reply('250 2.0.0 queued as 1');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        transcript.push(`C: ${line}`);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          socket.write('250-test.local\r\n');
          reply('250 8BITMIME');
        } else if (verb === 'HELO') reply('250 test.local');
        else if (verb === 'MAIL') {
          mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end data with <CR><LF>.<CR><LF>');
        } else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else reply('502 5.5.2 command not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, mails, transcript, server };
}

const message = {
  idempotencyKey: 'transcript:conv-1',
  conversationId: 'conv-1',
  to: 'ana@example.com',
  subject: 'Your conversation transcript',
  body: 'Hello Ana,\n\ncustomer: I forgot my password\nbot: I sent a link.',
};

describe('webhook adapter', () => {
  it('POSTs JSON with an HMAC-SHA256 signature of the body and the idempotency key', async () => {
    const receiver = await webhookReceiver(204);
    try {
      const result = await webhookChannel({ url: receiver.url, secret: 's3cret' }).send(message);
      expect(result.detail).toBe('webhook answered 204');
      const [got] = receiver.received;
      expect(got?.headers['content-type']).toBe('application/json');
      expect(got?.headers['idempotency-key']).toBe('transcript:conv-1');
      // What a receiver does: recompute the signature over the raw body with the shared secret.
      expect(got?.headers[signatureHeader]).toBe(webhookSignature('s3cret', got?.body ?? ''));
      expect(got?.headers[signatureHeader]).not.toBe(webhookSignature('other', got?.body ?? ''));
      expect(JSON.parse(got?.body ?? '{}')).toEqual({ type: 'transcript', ...message });
    } finally {
      receiver.server.close();
    }
  });

  it('throws on a non-2xx answer, so that Temporal retries', async () => {
    const receiver = await webhookReceiver(503);
    try {
      await expect(webhookChannel({ url: receiver.url, secret: 'k' }).send(message)).rejects.toThrow(/answered 503/);
    } finally {
      receiver.server.close();
    }
  });
});

describe('SMTP adapter', () => {
  it('holds a real SMTP conversation and delivers the mail', async () => {
    const receiver = await smtpReceiver();
    try {
      const result = await smtpChannel({ url: receiver.url, from: 'Baton <support@baton.test>' }).send(message);
      expect(result.detail).toContain('250 2.0.0 queued as 1');
      expect(receiver.mails).toHaveLength(1);
      const [mail] = receiver.mails;
      expect(mail).toMatchObject({ from: 'support@baton.test', to: ['ana@example.com'] });
      expect(mail?.data).toMatch(/^Subject: Your conversation transcript$/m);
      expect(mail?.data).toMatch(/^To: ana@example.com$/m);
      expect(mail?.data).toMatch(/^X-Baton-Idempotency-Key: transcript:conv-1$/m);
      expect(mail?.data).toContain('customer: I forgot my password');
      expect(
        receiver.transcript
          .filter((line) => line.startsWith('C: '))
          .map((line) => line.slice(3, 7).toUpperCase())
          .slice(0, 4),
      ).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA']);
    } finally {
      receiver.server.close();
    }
  });

  it('fails when the server refuses the recipient', async () => {
    const server = createTcpServer((socket) => {
      socket.write('220 ready\r\n');
      socket.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\r\n').filter(Boolean)) {
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO') socket.write('250 test.local\r\n');
          else if (verb === 'MAIL') socket.write('250 ok\r\n');
          else if (verb === 'RCPT') socket.write('550 5.1.1 no such user\r\n');
          else if (verb === 'QUIT' || verb === 'RSET') socket.write('221 bye\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await expect(smtpChannel({ url, from: 'support@baton.test' }).send(message)).rejects.toThrow();
    } finally {
      server.close();
    }
  });
});

describe('configuration', () => {
  it('is the log channel by default and names the missing variable otherwise', () => {
    expect(channelFromEnv({}).name).toBe('log');
    expect(channelFromEnv({ BATON_OUTBOUND: 'smtp', BATON_SMTP_URL: 'smtp://localhost:2525' }).name).toBe('smtp');
    expect(
      channelFromEnv({
        BATON_OUTBOUND: 'webhook',
        BATON_WEBHOOK_URL: 'https://example.com/h',
        BATON_WEBHOOK_SECRET: 'k',
      }).name,
    ).toBe('webhook');
    expect(() => channelFromEnv({ BATON_OUTBOUND: 'webhook' })).toThrow(
      /BATON_WEBHOOK_URL: required.*BATON_WEBHOOK_SECRET/,
    );
    expect(() => channelFromEnv({ BATON_OUTBOUND: 'smtp', BATON_SMTP_URL: 'http://x' })).toThrow(/BATON_SMTP_URL/);
    expect(() => channelFromEnv({ BATON_OUTBOUND: 'pigeon' })).toThrow(/BATON_OUTBOUND/);
  });
});

describe('baton.sendTranscript through the configured channel', () => {
  let store: Store;
  let registry: ActivityRegistry;
  const saved = { ...process.env };
  const silent = { debug() {}, info() {}, warn() {}, error() {} };

  beforeAll(async () => {
    store = await connectStore(requireServers().mongoUri, uniqueDbName('channels'));
    registry = createActivityRegistry(builtinActivities, { store, provider: new EmbeddedAiProvider(), logger: silent });
  });

  afterAll(async () => {
    process.env = saved;
    await store
      ?.collection('outbox')
      .db.dropDatabase()
      .catch(() => undefined);
    await store?.close();
  });

  it('sends by SMTP once, records the channel in the outbox, and does not send a retry again', async () => {
    const receiver = await smtpReceiver();
    try {
      process.env.BATON_OUTBOUND = 'smtp';
      process.env.BATON_SMTP_URL = receiver.url;
      const input = {
        conversationId: 'conv-mail',
        customer: { id: 'c1', name: 'Ana', email: 'ana@example.com' },
        transcript: [{ from: 'customer', text: 'I forgot my password', at: 0 }],
      };
      const send = registry.activities['baton.sendTranscript'];
      if (!send) throw new Error('baton.sendTranscript is not registered');
      expect(await send(input)).toEqual({ sent: true, to: 'ana@example.com', duplicate: false });
      expect(await send(input)).toEqual({ sent: true, to: 'ana@example.com', duplicate: true });
      expect(receiver.mails).toHaveLength(1);
      expect(receiver.mails[0]?.data).toContain('customer: I forgot my password');
      const [recorded] = await store.listOutbound({ to: 'ana@example.com' });
      expect(recorded).toMatchObject({ idempotencyKey: 'transcript:conv-mail', channel: 'smtp' });
    } finally {
      process.env.BATON_OUTBOUND = saved.BATON_OUTBOUND;
      receiver.server.close();
    }
  });
});
