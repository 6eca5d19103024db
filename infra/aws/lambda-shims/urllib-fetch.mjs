// The part of urllib's API that alipay-sdk's `exec` uses (`request(url, {method, data, dataType,
// timeout, headers})` → `{status, headers, data}`), over Node's own fetch: the Lambda bundles
// carry this instead of urllib and undici (~550 KiB). Bundled by infra/aws/bundle.ts only.
export class Agent {
  constructor(options) {
    this.options = options;
  }
}
export class ProxyAgent extends Agent {}

async function request(url, options = {}) {
  const method = String(options.method ?? 'GET').toUpperCase();
  const headers = { ...(options.headers ?? {}) };
  let body;
  if (options.content !== undefined) body = options.content;
  else if (options.data !== undefined && method !== 'GET' && method !== 'HEAD') {
    if (typeof options.data === 'string' || Buffer.isBuffer(options.data)) body = options.data;
    else {
      body = new URLSearchParams(Object.entries(options.data).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    }
  }
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(options.timeout ?? 5000) });
  const text = await res.text();
  const data = options.dataType === 'json' ? (text ? JSON.parse(text) : null) : text;
  return { status: res.status, statusCode: res.status, headers: Object.fromEntries(res.headers), data, res: { status: res.status, statusCode: res.status } };
}

export default { request };
