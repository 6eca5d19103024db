/**
 * `npm start` as a process manager or `kill` sees it: ready once /health answers, and a SIGTERM
 * to the npm process stops everything it started (the API server, the DynamoDB Local JVM,
 * esbuild), freeing the port.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/emulators.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every process descending from `root`, with its command line (Linux `ps`). */
function descendants(root: number): Array<{ pid: number; command: string }> {
  const rows = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).stdout.split('\n');
  const procs = rows
    .map((r) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(r))
    .filter((m) => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), command: m[3]! }));
  const found: Array<{ pid: number; command: string }> = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const p of procs.filter((x) => x.ppid === parent)) {
      found.push({ pid: p.pid, command: p.command });
      queue.push(p.pid);
    }
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe.skipIf(process.platform === 'win32')('npm start', () => {
  let npm: ChildProcess | undefined;
  let started: Array<{ pid: number; command: string }> = [];

  afterAll(() => {
    // Whatever the test left behind, by pid.
    for (const p of started) if (alive(p.pid)) process.kill(p.pid, 'SIGKILL');
    if (npm?.pid && alive(npm.pid)) npm.kill('SIGKILL');
  });

  it('serves /health with the demo data seeded, and stops everything on SIGTERM to npm', async () => {
    // Prepare: npm start on a free port.
    const port = await freePort();
    let output = '';
    npm = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    npm.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    npm.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const ready = await eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200, 80_000);
    expect(ready, output).toBe(true);

    // Ready means seeded: the demo customers answer at once.
    const admin = await (
      await fetch(`http://127.0.0.1:${port}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'ops', roles: ['admin'] }),
      })
    ).json();
    const customer = await fetch(`http://127.0.0.1:${port}/v1/customers/cus_demo_amy`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(customer.status).toBe(200);

    started = descendants(npm.pid!);
    const jvm = started.filter((p) => p.command.includes('DynamoDBLocal'));
    expect(jvm, started.map((p) => p.command).join('\n')).toHaveLength(1);

    // Act
    npm.kill('SIGTERM');

    // Assess: the port is free and nothing npm start started is left.
    expect(await eventually(async () => !(await portOpen(port)), 15_000), output).toBe(true);
    expect(
      await eventually(() => started.every((p) => !alive(p.pid)), 15_000),
      started
        .filter((p) => alive(p.pid))
        .map((p) => p.command)
        .join('\n'),
    ).toBe(true);
    expect(output).toContain('stopped');
  }, 120_000);
});
