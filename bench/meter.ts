/**
 * A metering proxy in front of DynamoDB Local: forwards every request, counts it by operation
 * and asks DynamoDB for the capacity it consumed (`ReturnConsumedCapacity: TOTAL`), so the
 * benchmarks measure what crosses the wire without touching the code under test.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';

/** A request as it crossed the proxy: what a replay sends again. */
export interface RecordedRequest {
  target: string;
  body: string;
  headers: Record<string, string>;
}

export interface Meter {
  endpoint: string;
  requests: Map<string, number>;
  /** While set, every request is appended here as forwarded. */
  recording: RecordedRequest[] | undefined;
  capacity: { read: number; write: number };
  reset(): void;
  total(): number;
  close(): Promise<void>;
}

const CAPACITY_OPS = new Set(['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'TransactGetItems', 'BatchWriteItem', 'BatchGetItem']);
const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

export async function startMeter(target: string): Promise<Meter> {
  const upstream = new URL(target);
  const requests = new Map<string, number>();
  const capacity = { read: 0, write: 0 };
  const meter = { recording: undefined as RecordedRequest[] | undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const op =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? 'unknown';
      requests.set(op, (requests.get(op) ?? 0) + 1);
      let body = Buffer.concat(chunks);
      if (CAPACITY_OPS.has(op)) {
        const json = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
        json.ReturnConsumedCapacity = 'TOTAL';
        body = Buffer.from(JSON.stringify(json));
      }
      // The signature covers the body, and DynamoDB Local does not check it.
      const headers = { ...req.headers, 'content-length': String(body.length), host: upstream.host };
      meter.recording?.push({
        target: String(req.headers['x-amz-target'] ?? ''),
        body: body.toString(),
        headers: Object.fromEntries(['content-type', 'x-amz-target', 'authorization', 'x-amz-date'].flatMap((h) => (req.headers[h] ? [[h, String(req.headers[h])]] : []))),
      });
      const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (up) => {
        const out: Buffer[] = [];
        up.on('data', (c: Buffer) => out.push(c));
        up.on('end', () => {
          const payload = Buffer.concat(out);
          if (CAPACITY_OPS.has(op) && (up.statusCode ?? 500) < 300) {
            const parsed = JSON.parse(payload.toString() || '{}') as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> };
            const units = [parsed.ConsumedCapacity].flat().reduce((s, c) => s + (c?.CapacityUnits ?? 0), 0);
            if (WRITE_OPS.has(op)) capacity.write += units;
            else capacity.read += units;
          }
          res.writeHead(up.statusCode ?? 500, up.headers);
          res.end(payload);
        });
      });
      forward.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    get recording() {
      return meter.recording;
    },
    set recording(value) {
      meter.recording = value;
    },
    capacity,
    reset() {
      requests.clear();
      capacity.read = 0;
      capacity.write = 0;
    },
    total: () => [...requests.values()].reduce((a, b) => a + b, 0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
