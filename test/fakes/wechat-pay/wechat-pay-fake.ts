/**
 * A small stand-in for WeChat Pay's APIv3 委托代扣 (papay) endpoints that the WeChat Pay
 * adapter calls, written from WeChat Pay's published documentation:
 *
 * - Request signature (`Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,
 *   timestamp=…,serial_no=…,signature=…` over "METHOD\nURL\ntimestamp\nnonce\nbody\n" with the
 *   merchant's private key, SHA256withRSA): https://pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-generation.html
 * - Signed answers (`Wechatpay-Timestamp`, `-Nonce`, `-Signature`, `-Serial` over
 *   "timestamp\nnonce\nbody\n" with the platform key): https://pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-verification.html
 * - Notifications: the resource encrypted with AEAD_AES_256_GCM under the APIv3 key, the
 *   envelope signed like an answer: https://pay.weixin.qq.com/docs/merchant/development/interface-rules/certificate-callback-decryption.html
 * - Errors: `{code, message}` with the HTTP status of WeChat's error tables:
 *   https://pay.weixin.qq.com/docs/merchant/development/interface-rules/error-code.html
 * - 预扣费通知 `POST /v3/papay/contracts/{contract_id}/notify` (deduct_duration, estimated_amount;
 *   the notice day and the next are the waiting period, then `count` days to debit, one success
 *   per cycle, amount ≤ the estimate, 07:00–22:00 Beijing time):
 *   https://pay.weixin.qq.com/wiki/doc/api/wxpay_v2/papay/chapter3_10.shtml
 * - 受理扣款 `POST /v3/papay/pay/transactions/apply` (out_trade_no ≤ 32 of [0-9A-Za-z_-*],
 *   one charge per out_trade_no): https://pay.weixin.qq.com/docs/partner/apis/entrusted-payment/partner/partner-create-transaction.html
 *   (the direct-merchant form), and its error table (NOT_ENOUGH, SYSTEM_ERROR, RULE_LIMIT,
 *   CONTRACT_NOT_EXIST, FREQUENCY_LIMITED, …).
 * - 查询订单 `GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid=` (trade_state ACCEPT /
 *   SUCCESS / PAYERROR / NOTPAY; 404 ORDER_NOT_EXIST): https://pay.weixin.qq.com/docs/merchant/apis/jsapi-payment/query-by-out-trade-no.html
 * - Contracts: H5 pre-sign `POST /v3/papay/sign/contracts/pre-entrust-sign/h5` (→ redirect_url),
 *   query `GET /v3/papay/sign/contracts/plan-id/{plan_id}/out-contract-code/{code}` and
 *   `GET /v3/papay/sign/contracts/{contract_id}` (contract_state SIGNED / TERMINATED,
 *   contract_display_account), terminate `POST /v3/papay/sign/contracts/{contract_id}/terminate`:
 *   https://pay.weixin.qq.com/docs/partner/apis/entrusted-payment/partner/partner-get-contract-by-code.html,
 *   https://pay.weixin.qq.com/wiki/doc/api_external/en/apis/chapter5_1_4.shtml
 * - 交易账单 `GET /v3/bill/tradebill?bill_date=&bill_type=ALL` → {hash_type: SHA1, hash_value,
 *   download_url}; the file is CSV with back-quoted values and a summary, amounts in yuan:
 *   https://pay.weixin.qq.com/docs/merchant/apis/bill-download/trade-bill/get-trade-bill.html
 *
 * Keys and the platform key are generated at start with node:crypto. Every capture lands in
 * `ledger()`, independent of what the adapter reports. Faults and customer balances are set by
 * the test; the customer's own signing is `sign(token)` (what WeChat's signing page does).
 */
import { createCipheriv, createHash, createSign, createVerify, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Obj = Record<string, unknown>;

export interface FakeClock {
  now(): Date;
}

export interface WechatPayFakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  mchId?: string;
  appId?: string;
  planId?: number;
  /** The business clock: notice windows, trade times, bills (default: real time). Signatures always use real time, as WeChat's do. */
  clock?: FakeClock;
  /** Where contract notifications go when a pre-sign request names none. */
  contractNotifyUrl?: string;
  /** Where the signing page sends the customer after signing (the portal's `/methods`), with `setup_intent` and `redirect_status`. */
  returnUrl?: string;
  /** When a day's trade bill is made, the next day, in minutes after midnight Beijing time (default 10:00, WeChat's). */
  billReadyMinutes?: number;
}

export interface Fault {
  /** `drop_response`: process, then close the connection unanswered. `error`: answer `code` without processing. */
  kind: 'drop_response' | 'error';
  code?: string;
  method?: string;
  /** The request path must start with this. */
  path?: string;
  times?: number;
}

export interface FakeContract {
  contractId: string;
  outContractCode: string;
  planId: number;
  displayAccount: string;
  openid: string;
  state: 'SIGNED' | 'TERMINATED';
  signedAt: string;
  terminatedAt?: string;
  notifyUrl?: string;
}

export interface FakeNotice {
  contractId: string;
  amount: number;
  currency: string;
  noticeDay: string;
  from: string;
  until: string;
  /** A success ends the cycle. */
  used: boolean;
}

export interface FakeOrder {
  outTradeNo: string;
  transactionId: string;
  contractId: string;
  amount: number;
  currency: string;
  state: 'SUCCESS' | 'PAYERROR' | 'ACCEPT' | 'NOTPAY' | 'CLOSED';
  /** PAP: a papay deduction; NATIVE: a customer's scan-to-pay order (code_url). */
  tradeType: 'PAP' | 'NATIVE';
  desc: string;
  errorCode?: string;
  at: string;
  attach?: string;
  body: string;
  notifyUrl: string;
  /** A non-cash voucher (免充值券) the merchant funds: the bill's 应结订单金额 is 订单金额 less it. */
  voucher?: number;
}

export interface FakeCapture {
  outTradeNo: string;
  transactionId: string;
  amount: number;
  currency: string;
  at: string;
}

export interface Exchange {
  method: string;
  path: string;
  body: unknown;
  status: number;
  answer: unknown;
  dropped: boolean;
}

/** The merchant's side of the keys: what the adapter is configured with. */
export interface MerchantKeys {
  mchId: string;
  appId: string;
  serial: string;
  privateKey: string;
  apiV3Key: string;
  platformSerial: string;
  platformPublicKey: string;
  base: string;
  planId: number;
}

/** A notification the fake sent, and the receiver's HTTP status (0: unreachable). */
export interface Delivery {
  url: string;
  eventType: string;
  status: number;
}

export interface WechatPayFake {
  url: string;
  deliveries(): Delivery[];
  keys: MerchantKeys;
  exchanges(): Exchange[];
  ledger(): FakeCapture[];
  contracts(): FakeContract[];
  notices(): FakeNotice[];
  orders(): FakeOrder[];
  /** The customer signs on WeChat's page: the contract is made and its notification sent. */
  sign(token: string, options?: { account?: string }): Promise<FakeContract>;
  /**
   * The customer scans a Native order's code_url and pays with their password: the order
   * succeeds and its notification is sent. Refused for an order that is not waiting to be paid.
   */
  payNative(outTradeNo: string): Promise<FakeOrder>;
  /** The customer ends the contract in WeChat. */
  terminateByUser(contractId: string): Promise<void>;
  /** The wallet's balance (fen) of a contract's user; unlimited unless set. */
  setBalance(contractId: string, fen: number): void;
  /** Applies a merchant-funded voucher (免充值券) to an order, as its trade bill then shows it. */
  applyVoucher(outTradeNo: string, fen: number): void;
  inject(fault: Fault): void;
  /** Sends (again) the payment notification of an order; answers the receiver's HTTP status. */
  notifyPayment(outTradeNo: string, options?: { tamper?: (body: string) => string; url?: string }): Promise<number>;
  /** Signs a body as the platform does (for tests that build their own notifications). */
  signNotification(body: string, at?: Date): Record<string, string>;
  /** Encrypts a resource as a notification carries it. */
  encryptResource(plaintext: string, associatedData: string): { algorithm: 'AEAD_AES_256_GCM'; ciphertext: string; nonce: string; associated_data: string; original_type: string };
  close(): Promise<void>;
}

const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
const MAX_SKEW_SECONDS = 300;
const OUT_TRADE_NO = /^[0-9A-Za-z_\-*]{6,32}$/;

class WechatError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const serialOf = () => randomBytes(20).toString('hex').toUpperCase();
const nonce = () => randomBytes(16).toString('hex');
const realSeconds = () => Math.floor(Date.now() / 1000);

/** Beijing local date and time of an instant. */
function beijing(at: Date): { day: string; time: string; minutes: number } {
  const shifted = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  const day = shifted.slice(0, 10);
  const time = shifted.slice(11, 19);
  return { day, time, minutes: Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5)) };
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export async function startWechatPayFake(options: WechatPayFakeOptions = {}): Promise<WechatPayFake> {
  const clock = options.clock ?? { now: () => new Date() };
  const billReadyMinutes = options.billReadyMinutes ?? 10 * 60;
  const mchId = options.mchId ?? '1230000109';
  const appId = options.appId ?? 'wx8888888888888888';
  const planId = options.planId ?? 12535;
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchantSerial = serialOf();
  const platformSerial = `PUB_KEY_ID_${randomBytes(12).toString('hex').toUpperCase()}`;
  const apiV3Key = randomBytes(16).toString('hex');

  const contracts = new Map<string, FakeContract>();
  const signTokens = new Map<string, { outContractCode: string; planId: number; displayAccount: string; notifyUrl?: string; contractId?: string }>();
  const noticeByContract = new Map<string, FakeNotice>();
  const allNotices: FakeNotice[] = [];
  const orders = new Map<string, FakeOrder>();
  const balances = new Map<string, number>();
  const captures: FakeCapture[] = [];
  const exchanges: Exchange[] = [];
  const faults: Array<Fault & { left: number }> = [];
  const bills = new Map<string, string>();
  const nativeCodes = new Map<string, string>();
  const deliveries: Delivery[] = [];
  let sequence = 0;

  const signPlatform = (message: string) => createSign('RSA-SHA256').update(message).sign(platform.privateKey, 'base64');
  const signedHeaders = (body: string, at = realSeconds()) => {
    const n = nonce();
    return {
      'Wechatpay-Timestamp': String(at),
      'Wechatpay-Nonce': n,
      'Wechatpay-Signature': signPlatform(`${at}\n${n}\n${body}\n`),
      'Wechatpay-Serial': platformSerial,
      'Request-ID': randomUUID(),
    };
  };

  const encryptResource = (plaintext: string, associatedData: string) => {
    const iv = randomBytes(6).toString('hex'); // a 12-character nonce, as WeChat sends
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(iv));
    cipher.setAAD(Buffer.from(associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
    return { algorithm: 'AEAD_AES_256_GCM' as const, ciphertext, nonce: iv, associated_data: associatedData, original_type: associatedData };
  };

  const notify = async (url: string, eventType: string, summary: string, resourceType: string, resource: Obj, tamper?: (b: string) => string): Promise<number> => {
    const body = JSON.stringify({
      id: randomUUID(),
      create_time: new Date(clock.now().getTime() + 8 * 3_600_000).toISOString().replace(/\.\d+Z$/, '+08:00'),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: encryptResource(JSON.stringify(resource), resourceType),
    });
    const headers = signedHeaders(body, Math.floor(clock.now().getTime() / 1000));
    const sent = tamper ? tamper(body) : body;
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: sent });
      await res.text();
      deliveries.push({ url, eventType, status: res.status });
      return res.status;
    } catch {
      deliveries.push({ url, eventType, status: 0 });
      return 0;
    }
  };

  const contractView = (c: FakeContract) => ({
    mchid: mchId,
    appid: appId,
    contract_id: c.contractId,
    plan_id: c.planId,
    out_contract_code: c.outContractCode,
    contract_display_account: c.displayAccount,
    contract_state: c.state,
    contract_signed_time: c.signedAt,
    ...(c.terminatedAt ? { contract_terminated_time: c.terminatedAt, contract_termination_mode: 'USER' } : {}),
    openid: c.openid,
  });

  const orderView = (o: FakeOrder) => ({
    appid: appId,
    mchid: mchId,
    out_trade_no: o.outTradeNo,
    transaction_id: o.transactionId,
    trade_type: o.tradeType,
    trade_state: o.state,
    trade_state_desc: o.desc,
    ...(o.state === 'SUCCESS' ? { success_time: o.at } : {}),
    ...(o.contractId ? { contract_id: o.contractId } : {}),
    ...(o.attach ? { attach: o.attach } : {}),
    amount: { total: o.amount, payer_total: o.state === 'SUCCESS' ? o.amount : 0, currency: o.currency },
  });

  const sendContractNotification = (c: FakeContract, change: 'ADD' | 'DELETE') =>
    c.notifyUrl
      ? notify(c.notifyUrl, change === 'ADD' ? 'PAPAY.SIGN' : 'PAPAY.TERMINATE', change === 'ADD' ? '签约成功' : '解约成功', 'papay', { ...contractView(c), change_type: change })
      : Promise.resolve(0);

  // ---- the API --------------------------------------------------------------------------

  const needString = (body: Obj, name: string, max = 32): string => {
    const v = body[name];
    if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new WechatError(400, 'PARAM_ERROR', `${name} is required (string, at most ${max})`);
    return v;
  };
  const needAmount = (value: unknown, field: string): { total: number; currency: string } => {
    const a = value as { total?: unknown; amount?: unknown; currency?: unknown } | undefined;
    const total = field === 'estimated_amount' ? a?.amount : a?.total;
    if (!a || !Number.isSafeInteger(total) || (total as number) <= 0) throw new WechatError(400, 'PARAM_ERROR', `${field} must carry a positive integer amount in fen`);
    if (a.currency !== undefined && a.currency !== 'CNY') throw new WechatError(400, 'PARAM_ERROR', `${field}.currency must be CNY`);
    return { total: total as number, currency: 'CNY' };
  };
  const contractOf = (id: string): FakeContract => {
    const c = contracts.get(id);
    if (!c) throw new WechatError(404, 'CONTRACT_NOT_EXIST', '签约协议不存在');
    return c;
  };

  function route(method: string, path: string, query: URLSearchParams, body: Obj): { status: number; answer?: unknown; raw?: Buffer } {
    const now = clock.now();
    let m: RegExpExecArray | null;

    if (method === 'POST' && path === '/v3/papay/sign/contracts/pre-entrust-sign/h5') {
      if (body['appid'] !== appId) throw new WechatError(400, 'PARAM_ERROR', 'appid is not bound to this merchant');
      if (body['plan_id'] !== planId) throw new WechatError(400, 'PARAM_ERROR', 'plan_id is not a template of this merchant');
      const outContractCode = needString(body, 'out_contract_code');
      const displayAccount = needString(body, 'contract_display_account', 64);
      for (const c of contracts.values()) if (c.outContractCode === outContractCode && c.state === 'SIGNED') throw new WechatError(400, 'CONTRACT_EXISTED', '该协议号已签约');
      const existing = [...signTokens.entries()].find(([, t]) => t.outContractCode === outContractCode);
      const token = existing?.[0] ?? randomBytes(12).toString('hex');
      if (!existing)
        signTokens.set(token, {
          outContractCode,
          planId,
          displayAccount,
          ...(typeof body['contract_notify_url'] === 'string'
            ? { notifyUrl: body['contract_notify_url'] }
            : options.contractNotifyUrl
              ? { notifyUrl: options.contractNotifyUrl }
              : {}),
        });
      return { status: 200, answer: { redirect_url: `${server.url}/papay/sign/${token}` } };
    }
    if (method === 'GET' && (m = /^\/v3\/papay\/sign\/contracts\/plan-id\/(\d+)\/out-contract-code\/([^/]+)$/.exec(path))) {
      if (query.get('appid') !== appId) throw new WechatError(400, 'PARAM_ERROR', 'appid is required');
      const code = decodeURIComponent(m[2]!);
      const found = [...contracts.values()].filter((c) => c.outContractCode === code && c.planId === Number(m![1])).pop();
      if (!found) throw new WechatError(404, 'CONTRACT_NOT_EXIST', '签约协议不存在');
      return { status: 200, answer: contractView(found) };
    }
    if (method === 'GET' && (m = /^\/v3\/papay\/sign\/contracts\/([^/]+)$/.exec(path))) {
      if (query.get('appid') !== appId) throw new WechatError(400, 'PARAM_ERROR', 'appid is required');
      return { status: 200, answer: contractView(contractOf(decodeURIComponent(m[1]!))) };
    }
    if (method === 'POST' && (m = /^\/v3\/papay\/sign\/contracts\/([^/]+)\/terminate$/.exec(path))) {
      const c = contractOf(decodeURIComponent(m[1]!));
      needString(body, 'contract_termination_remark', 256);
      if (c.state === 'TERMINATED') throw new WechatError(400, 'CONTRACT_TERMINATED', '协议已解约');
      c.state = 'TERMINATED';
      c.terminatedAt = now.toISOString();
      void sendContractNotification(c, 'DELETE');
      return { status: 204 };
    }
    if (method === 'POST' && (m = /^\/v3\/papay\/contracts\/([^/]+)\/notify$/.exec(path))) {
      if (body['mchid'] !== mchId || body['appid'] !== appId) throw new WechatError(400, 'PARAM_ERROR', "mchid and appid must be this merchant's");
      const c = contractOf(decodeURIComponent(m[1]!));
      if (c.state !== 'SIGNED') throw new WechatError(400, 'CONTRACT_TERMINATED', '协议已解约');
      const duration = body['deduct_duration'] as { count?: unknown; unit?: unknown } | undefined;
      if (!duration || !Number.isInteger(duration.count) || (duration.count as number) < 1 || duration.unit !== 'DAY')
        throw new WechatError(400, 'PARAM_ERROR', 'deduct_duration needs count ≥ 1 and unit DAY');
      const estimate = needAmount(body['estimated_amount'], 'estimated_amount');
      const local = beijing(now);
      if (local.minutes < 7 * 60 || local.minutes >= 22 * 60) throw new WechatError(400, 'RULE_LIMIT', '预扣费通知只能在每天7:00~22:00调用');
      const notice: FakeNotice = {
        contractId: c.contractId,
        amount: estimate.total,
        currency: estimate.currency,
        noticeDay: local.day,
        from: addDays(local.day, 2),
        until: addDays(local.day, 1 + (duration.count as number)),
        used: false,
      };
      noticeByContract.set(c.contractId, notice);
      allNotices.push(notice);
      return { status: 204 };
    }
    if (method === 'POST' && path === '/v3/papay/pay/transactions/apply') {
      if (body['appid'] !== appId) throw new WechatError(400, 'PARAM_ERROR', 'appid is not bound to this merchant');
      const outTradeNo = needString(body, 'out_trade_no');
      if (!OUT_TRADE_NO.test(outTradeNo)) throw new WechatError(400, 'PARAM_ERROR', 'out_trade_no: 6-32 digits, letters, _ - or *');
      const description = needString(body, 'description', 127);
      const notifyUrl = needString(body, 'transaction_notify_url', 256);
      const contractId = needString(body, 'contract_id');
      const amount = needAmount(body['amount'], 'amount');
      const fingerprint = JSON.stringify({ contractId, amount, description });
      const earlier = orders.get(outTradeNo);
      if (earlier) {
        // One charge per out_trade_no: a repeat is the same order; other parameters are refused.
        if (earlier.body !== fingerprint) throw new WechatError(400, 'INVALID_REQUEST', 'out_trade_no was used with other parameters');
        if (earlier.state === 'SUCCESS') throw new WechatError(400, 'ORDER_PAID', '订单已支付');
        if (earlier.state === 'ACCEPT') return { status: 200, answer: { out_trade_no: outTradeNo } };
      }
      const c = contracts.get(contractId);
      if (!c) throw new WechatError(400, 'CONTRACT_NOT_EXIST', '签约协议不存在');
      if (c.state !== 'SIGNED') throw new WechatError(400, 'CONTRACT_TERMINATED', '用户已解约');
      const local = beijing(now);
      if (local.minutes < 7 * 60 || local.minutes >= 22 * 60) throw new WechatError(400, 'RULE_LIMIT', '扣款只能在每天7:00~22:00发起');
      const notice = noticeByContract.get(contractId);
      if (!notice || notice.used || local.day < notice.from || local.day > notice.until) throw new WechatError(400, 'RULE_LIMIT', '未在可扣费期内或未发送预扣费通知');
      if (amount.total > notice.amount) throw new WechatError(400, 'RULE_LIMIT', '扣款金额超过预计扣费金额');
      const order: FakeOrder = earlier ?? {
        outTradeNo,
        tradeType: 'PAP',
        transactionId: `4200${String(++sequence).padStart(24, '0')}`,
        contractId,
        amount: amount.total,
        currency: amount.currency,
        state: 'ACCEPT',
        desc: '已接收，等待扣款',
        at: now.toISOString(),
        ...(typeof body['attach'] === 'string' ? { attach: body['attach'] } : {}),
        body: fingerprint,
        notifyUrl,
      };
      order.at = now.toISOString();
      orders.set(outTradeNo, order);
      const balance = balances.get(contractId);
      if (balance !== undefined && balance < amount.total) {
        order.state = 'PAYERROR';
        order.desc = '余额不足';
        order.errorCode = 'NOT_ENOUGH';
        void notify(notifyUrl, 'TRANSACTION.FAIL', '支付失败', 'transaction', orderView(order));
        throw new WechatError(403, 'NOT_ENOUGH', '用户账号余额不足');
      }
      if (balance !== undefined) balances.set(contractId, balance - amount.total);
      order.state = 'SUCCESS';
      order.desc = '支付成功';
      notice.used = true;
      captures.push({ outTradeNo, transactionId: order.transactionId, amount: order.amount, currency: order.currency, at: order.at });
      void notify(notifyUrl, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', orderView(order));
      return { status: 200, answer: { out_trade_no: outTradeNo } };
    }
    if (method === 'POST' && path === '/v3/pay/transactions/native') {
      // Native下单 (https://pay.weixin.qq.com/doc/v3/merchant/4012525095): appid, mchid,
      // description ≤127, out_trade_no, notify_url, amount; answers the code_url to show as a QR code.
      if (body['appid'] !== appId) throw new WechatError(400, 'PARAM_ERROR', 'appid is not bound to this merchant');
      if (body['mchid'] !== mchId) throw new WechatError(400, 'PARAM_ERROR', 'mchid must be this merchant');
      const outTradeNo = needString(body, 'out_trade_no');
      if (!OUT_TRADE_NO.test(outTradeNo)) throw new WechatError(400, 'PARAM_ERROR', 'out_trade_no: 6-32 digits, letters, _ - or *');
      const description = needString(body, 'description', 127);
      const notifyUrl = needString(body, 'notify_url', 255);
      if (/[?#]/.test(notifyUrl)) throw new WechatError(400, 'PARAM_ERROR', 'notify_url cannot carry parameters');
      const amount = needAmount(body['amount'], 'amount');
      const fingerprint = JSON.stringify({ native: true, amount, description });
      const earlier = orders.get(outTradeNo);
      if (earlier) {
        if (earlier.body !== fingerprint) throw new WechatError(400, 'INVALID_REQUEST', 'out_trade_no was used with other parameters');
        if (earlier.state === 'SUCCESS') throw new WechatError(400, 'ORDER_PAID', '订单已支付');
        if (earlier.state === 'CLOSED') throw new WechatError(400, 'ORDER_CLOSED', '订单已关闭');
        return { status: 200, answer: { code_url: nativeCodes.get(outTradeNo) } };
      }
      const order: FakeOrder = {
        outTradeNo,
        tradeType: 'NATIVE',
        transactionId: `4200${String(++sequence).padStart(24, '0')}`,
        contractId: '',
        amount: amount.total,
        currency: amount.currency,
        state: 'NOTPAY',
        desc: '订单未支付',
        at: now.toISOString(),
        ...(typeof body['attach'] === 'string' ? { attach: body['attach'] } : {}),
        body: fingerprint,
        notifyUrl,
      };
      orders.set(outTradeNo, order);
      const code = `weixin://wxpay/bizpayurl?pr=${randomBytes(6).toString('base64url')}`;
      nativeCodes.set(outTradeNo, code);
      return { status: 200, answer: { code_url: code } };
    }
    if (method === 'POST' && (m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(path))) {
      // 关闭订单: only an unpaid order closes; a paid one answers ORDER_PAID.
      if (body['mchid'] !== mchId) throw new WechatError(400, 'PARAM_ERROR', 'mchid must be this merchant');
      const order = orders.get(decodeURIComponent(m[1]!));
      if (!order) throw new WechatError(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (order.state === 'SUCCESS') throw new WechatError(400, 'ORDER_PAID', '订单已支付');
      if (order.state === 'NOTPAY') {
        order.state = 'CLOSED';
        order.desc = '已关闭';
      }
      return { status: 204 };
    }
    if (method === 'GET' && (m = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(path))) {
      if (query.get('mchid') !== mchId) throw new WechatError(400, 'PARAM_ERROR', 'mchid is required');
      const order = orders.get(decodeURIComponent(m[1]!));
      if (!order) throw new WechatError(404, 'ORDER_NOT_EXIST', '订单不存在');
      return { status: 200, answer: orderView(order) };
    }
    if (method === 'GET' && path === '/v3/bill/tradebill') {
      const day = query.get('bill_date') ?? '';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new WechatError(400, 'PARAM_ERROR', 'bill_date must be yyyy-MM-DD');
      if (query.get('bill_type') && !['ALL', 'SUCCESS', 'REFUND'].includes(query.get('bill_type')!)) throw new WechatError(400, 'PARAM_ERROR', 'bill_type');
      // WeChat makes a day's bill after 10:00 the next day ("微信支付在每日10点后生成昨日交易账单",
      // get-trade-bill.html); before that it answers STATEMENT_CREATING ("账单生成中，请在次日10点后再下载").
      const local = beijing(now);
      if (day >= local.day) throw new WechatError(400, 'NO_STATEMENT_EXIST', '账单不存在');
      if (day === addDays(local.day, -1) && local.minutes < billReadyMinutes) throw new WechatError(400, 'STATEMENT_CREATING', '账单生成中，请在次日10点后再下载');
      const file = tradeBill(day);
      const token = randomBytes(8).toString('hex');
      bills.set(token, file);
      return {
        status: 200,
        answer: { hash_type: 'SHA1', hash_value: createHash('sha1').update(file).digest('hex'), download_url: `${server.url}/v3/billdownload/file?token=${token}` },
      };
    }
    if (method === 'GET' && path === '/v3/billdownload/file') {
      const file = bills.get(query.get('token') ?? '');
      if (file === undefined) throw new WechatError(404, 'RESOURCE_NOT_EXISTS', 'no such file');
      return { status: 200, raw: Buffer.from(file) };
    }
    throw new WechatError(404, 'NOT_FOUND', `no route ${method} ${path}`);
  }

  /** The day's trade bill in WeChat's CSV form: a header, back-quoted rows, a summary. */
  function tradeBill(day: string): string {
    const rows = [...orders.values()].filter((o) => o.state === 'SUCCESS' && beijing(new Date(o.at)).day === day);
    const header =
      '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
    const lines = rows.map((o) => {
      const t = beijing(new Date(o.at));
      const openid = contracts.get(o.contractId)?.openid ?? '';
      return [
        `\`${t.day} ${t.time}`,
        appId,
        mchId,
        '0',
        '',
        o.transactionId,
        o.outTradeNo,
        openid,
        o.tradeType,
        'SUCCESS',
        'OTHERS',
        o.currency,
        yuan(o.amount - (o.voucher ?? 0)),
        yuan(o.voucher ?? 0),
        '0',
        '0',
        '0.00',
        '0.00',
        '',
        '',
        'repayflow',
        o.attach ?? '',
        '0.00',
        '0.60%',
        yuan(o.amount),
        '0.00',
        '',
      ].join(',`');
    });
    const total = rows.reduce((s, o) => s + o.amount, 0);
    return [
      `\uFEFF${header}`,
      ...lines,
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      [`\`${rows.length}`, yuan(total), '0.00', '0.00', '0.00', yuan(total), '0.00'].join(',`'),
      '',
    ].join('\r\n');
  }

  /** Checks the Authorization header as WeChat does; answers the merchant id or throws 401. */
  function authenticate(req: IncomingMessage, url: string, body: string): void {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith(`${AUTH_SCHEMA} `)) throw new WechatError(401, 'SIGN_ERROR', `Authorization must use ${AUTH_SCHEMA}`);
    const fields = new Map<string, string>();
    for (const part of header.slice(AUTH_SCHEMA.length + 1).split(',')) {
      const match = /^\s*([a-z_]+)="([^"]*)"\s*$/.exec(part);
      if (match) fields.set(match[1]!, match[2]!);
    }
    const [mchid, nonceStr, timestamp, serial, signature] = ['mchid', 'nonce_str', 'timestamp', 'serial_no', 'signature'].map((k) => fields.get(k));
    if (!mchid || !nonceStr || !timestamp || !serial || !signature)
      throw new WechatError(401, 'SIGN_ERROR', 'Authorization needs mchid, nonce_str, timestamp, serial_no and signature');
    if (mchid !== mchId) throw new WechatError(401, 'SIGN_ERROR', 'unknown mchid');
    if (serial !== merchantSerial) throw new WechatError(401, 'SIGN_ERROR', "serial_no is not this merchant's certificate");
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(realSeconds() - Number(timestamp)) > MAX_SKEW_SECONDS) throw new WechatError(401, 'SIGN_ERROR', 'timestamp out of range');
    const message = `${req.method}\n${url}\n${timestamp}\n${nonceStr}\n${body}\n`;
    if (!createVerify('RSA-SHA256').update(message).verify(merchant.publicKey, signature, 'base64')) throw new WechatError(401, 'SIGN_ERROR', '签名错误');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';

    // WeChat's own signing page (the customer's side, not the API): shown and confirmed here.
    const page = /^\/papay\/sign\/([0-9a-f]+)$/.exec(url.pathname);
    if (page) return signingPage(page[1]!, method, res);

    let status = 500;
    let answer: unknown;
    let raw: Buffer | undefined;
    let parsed: Obj = {};
    const fault = faults.find((f) => f.left > 0 && (!f.method || f.method === method) && (!f.path || url.pathname.startsWith(f.path)));
    try {
      authenticate(req, `${url.pathname}${url.search}`, text);
      if (text) {
        try {
          parsed = JSON.parse(text) as Obj;
        } catch {
          throw new WechatError(400, 'PARAM_ERROR', 'body must be JSON');
        }
      }
      if (fault?.kind === 'error') {
        fault.left -= 1;
        const code = fault.code ?? 'SYSTEM_ERROR';
        throw new WechatError(ERROR_STATUS[code] ?? 500, code, `injected ${code}`);
      }
      const out = route(method, url.pathname, url.searchParams, parsed);
      status = out.status;
      answer = out.answer;
      raw = out.raw;
    } catch (error) {
      if (!(error instanceof WechatError)) throw error;
      status = error.status;
      answer = { code: error.code, message: error.message };
    }
    const dropped = fault?.kind === 'drop_response' && status < 300;
    exchanges.push({ method, path: url.pathname, body: parsed, status, answer, dropped });
    if (dropped) {
      fault!.left -= 1;
      res.socket?.destroy();
      return;
    }
    if (raw) {
      // Downloads are not signed; the caller checks the file against the bill's hash.
      res.writeHead(status, { 'Content-Type': 'application/octet-stream' });
      res.end(raw);
      return;
    }
    const body = answer === undefined ? '' : JSON.stringify(answer);
    res.writeHead(status, { ...(body ? { 'Content-Type': 'application/json' } : {}), ...signedHeaders(body) });
    res.end(body);
  }

  function signingPage(token: string, method: string, res: ServerResponse): void {
    const pending = signTokens.get(token);
    if (!pending) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('no such signing request');
      return;
    }
    if (method === 'POST') {
      void sign(token).then(
        () => {
          if (options.returnUrl) {
            const back = new URL(options.returnUrl);
            back.searchParams.set('setup_intent', pending.outContractCode);
            back.searchParams.set('redirect_status', 'succeeded');
            res.writeHead(303, { Location: back.toString() });
            res.end();
            return;
          }
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end('<!doctype html><meta charset="utf-8"><title>签约成功</title><p id="signed">签约成功 (signed)</p>');
        },
        (err: Error) => {
          res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(err.message);
        },
      );
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><meta charset="utf-8"><title>微信支付 委托代扣签约</title>
<h1>开通免密支付 (stand-in for WeChat's signing page)</h1>
<p>商户号 ${mchId} · 模板 ${pending.planId} · 协议号 ${pending.outContractCode}</p>
<form method="post"><button id="sign" type="submit">同意并开通</button></form>`);
  }

  async function sign(token: string, signOptions: { account?: string } = {}): Promise<FakeContract> {
    const pending = signTokens.get(token);
    if (!pending) throw new Error('no such signing request');
    if (pending.contractId) return contracts.get(pending.contractId)!;
    const contract: FakeContract = {
      contractId: `2022${String(++sequence).padStart(14, '0')}`,
      outContractCode: pending.outContractCode,
      planId: pending.planId,
      displayAccount: signOptions.account ?? pending.displayAccount,
      openid: `o${randomBytes(13).toString('base64url')}`,
      state: 'SIGNED',
      signedAt: clock.now().toISOString(),
      ...(pending.notifyUrl ? { notifyUrl: pending.notifyUrl } : {}),
    };
    contracts.set(contract.contractId, contract);
    pending.contractId = contract.contractId;
    await sendContractNotification(contract, 'ADD');
    return contract;
  }

  const server = Object.assign(
    createServer((req, res) => {
      handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: err instanceof Error ? err.message : String(err) }));
      });
    }),
    { url: '' },
  );
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: server.url,
    keys: {
      mchId,
      appId,
      serial: merchantSerial,
      privateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      apiV3Key,
      platformSerial,
      platformPublicKey: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      base: server.url,
      planId,
    },
    exchanges: () => [...exchanges],
    deliveries: () => [...deliveries],
    ledger: () => [...captures],
    contracts: () => [...contracts.values()],
    notices: () => [...allNotices],
    orders: () => [...orders.values()],
    sign,
    async payNative(outTradeNo) {
      const order = orders.get(outTradeNo);
      if (!order || order.tradeType !== 'NATIVE' || order.state !== 'NOTPAY') throw new Error(`no unpaid Native order ${outTradeNo}`);
      order.state = 'SUCCESS';
      order.desc = '支付成功';
      order.at = clock.now().toISOString();
      captures.push({ outTradeNo, transactionId: order.transactionId, amount: order.amount, currency: order.currency, at: order.at });
      await notify(order.notifyUrl, 'TRANSACTION.SUCCESS', '支付成功', 'transaction', orderView(order));
      return order;
    },
    async terminateByUser(contractId) {
      const c = contractOf(contractId);
      c.state = 'TERMINATED';
      c.terminatedAt = clock.now().toISOString();
      await sendContractNotification(c, 'DELETE');
    },
    setBalance: (contractId, fen) => void balances.set(contractId, fen),
    applyVoucher(outTradeNo, fen) {
      const order = orders.get(outTradeNo);
      if (!order) throw new Error(`no order ${outTradeNo}`);
      order.voucher = fen;
    },
    inject: (fault) => void faults.push({ ...fault, left: fault.times ?? 1 }),
    async notifyPayment(outTradeNo, o = {}) {
      const order = orders.get(outTradeNo);
      if (!order) throw new Error(`no order ${outTradeNo}`);
      return notify(o.url ?? order.notifyUrl, order.state === 'SUCCESS' ? 'TRANSACTION.SUCCESS' : 'TRANSACTION.FAIL', order.desc, 'transaction', orderView(order), o.tamper);
    },
    signNotification: (body, at = clock.now()) => signedHeaders(body, Math.floor(at.getTime() / 1000)),
    encryptResource,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** HTTP status of each error code, from WeChat's tables. */
const ERROR_STATUS: Record<string, number> = {
  SYSTEM_ERROR: 500,
  NOT_ENOUGH: 403,
  NO_AUTH: 403,
  USER_ACCOUNT_ABNORMAL: 403,
  FREQUENCY_LIMITED: 429,
  RATELIMIT_EXCEEDED: 429,
  RULE_LIMIT: 400,
  CONTRACT_NOT_EXIST: 400,
  CONTRACT_TERMINATED: 400,
  PARAM_ERROR: 400,
  INVALID_REQUEST: 400,
  ORDER_PAID: 400,
  ORDER_CLOSED: 400,
  ORDER_NOT_EXIST: 404,
  SIGN_ERROR: 401,
  STATEMENT_CREATING: 400,
  NO_STATEMENT_EXIST: 400,
};
