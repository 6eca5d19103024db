/**
 * A small stand-in for Alipay's open platform gateway (OpenAPI 2.0, `gateway.do`), for the
 * operations the Alipay adapter uses, written from Alipay's published documentation:
 *
 * - Request signing (RSA2 = SHA256withRSA over the request's parameters, sorted by name,
 *   `key=value` joined with `&`, without `sign` and empty values):
 *   https://opendocs.alipay.com/common/02kf5q and https://opendocs.alipay.com/common/02mse7
 * - Response signing (the `sign` over the exact JSON text of `<method>_response`) and the
 *   verification of asynchronous notifications (every parameter except `sign` and
 *   `sign_type`): https://opendocs.alipay.com/common/02mse7 and
 *   https://opendocs.alipay.com/open/270/105902 (异步通知说明)
 * - Public parameters and common error codes (40001 Missing Required Arguments, 40002
 *   Invalid Arguments with `isv.*` sub codes, 40004 Business Failed, 20000 Service Currently
 *   Unavailable): https://opendocs.alipay.com/common/02km9f
 * - 商家扣款 (agreement deduction): https://opendocs.alipay.com/open/08bg92 —
 *   `alipay.user.agreement.page.sign` (https://opendocs.alipay.com/open/8bccfa0b_alipay.user.agreement.page.sign),
 *   its signing notify `dut_user_sign` / unsign notify `dut_user_unsign`,
 *   `alipay.user.agreement.query` (https://opendocs.alipay.com/open/3dab71bc_alipay.user.agreement.query),
 *   `alipay.user.agreement.unsign` (https://opendocs.alipay.com/open/b841da1f_alipay.user.agreement.unsign),
 *   `alipay.trade.pay` with `agreement_params.agreement_no` and `product_code`
 *   GENERAL_WITHHOLDING (https://opendocs.alipay.com/open/1ef5bf5d_alipay.trade.pay),
 *   `alipay.trade.query` (https://opendocs.alipay.com/open/82ea786a_alipay.trade.query) and the
 *   trade notify `trade_status_sync` (https://opendocs.alipay.com/open/194/103296).
 * - `alipay.data.dataservice.bill.downloadurl.query` (https://opendocs.alipay.com/open/02e7gr):
 *   a download URL valid for 30 seconds of a zip holding the day's GBK-encoded CSV bills
 *   (`<pid>_<yyyyMMdd>_业务明细.csv` and `…_业务明细(汇总).csv`), daily bills only for days
 *   that are over (Beijing time).
 *
 * Behaviour the tests steer, like Stripe's test cards: the account the customer signs with
 * decides what a debit does (`ACCOUNTS`); faults (a lost answer, a 500, a `ACQ.SYSTEM_ERROR`
 * after the trade went through) hit the next matching requests. Every capture lands in
 * `ledger()`, independent of what the adapter reports; every notification is kept with the
 * merchant's answer, and only `success` stops Alipay from sending it again.
 */
import { createSign, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateRawSync } from 'node:zlib';

type Obj = Record<string, unknown>;

export interface FakeClock {
  now(): Date;
}

/** A customer's Alipay account as the fake knows it: what a debit against it does. */
export interface TestAccount {
  logonId: string;
  /** `pays`: 10000 at once. `waits`: 10003 (WAIT_BUYER_PAY), paid when `settleWaiting()` runs.
   *  Otherwise the 40004 sub code the debit fails with. `system_error_after_capture`: the trade
   *  goes through but the answer is ACQ.SYSTEM_ERROR (Alipay's own "ask again"). */
  debit: 'pays' | 'waits' | 'system_error_after_capture' | `ACQ.${string}`;
  /** What the signing page says the account does. */
  label: string;
}

/** Test accounts offered on the signing page (the first is the default). */
export const ACCOUNTS: Record<string, TestAccount> = {
  '13800005678': { logonId: '138****5678', debit: 'pays', label: 'pays at once' },
  '13700000002': { logonId: '137****0002', debit: 'waits', label: 'pays later (WAIT_BUYER_PAY, then a notify)' },
  '13900000001': { logonId: '139****0001', debit: 'ACQ.BUYER_BALANCE_NOT_ENOUGH', label: 'balance not enough' },
  '13600000003': { logonId: '136****0003', debit: 'system_error_after_capture', label: 'pays, but the answer is ACQ.SYSTEM_ERROR' },
  '13500000004': { logonId: '135****0004', debit: 'ACQ.BUYER_ENABLE_STATUS_FORBID', label: 'account forbidden to pay' },
};

export interface AlipayFakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  clock?: FakeClock;
  /** Post notifications as soon as they arise (default true); otherwise `deliverNotifies()` sends them. */
  autoNotify?: boolean;
}

export interface Fault {
  /** `drop_response`: run the request, then close the connection without answering.
   *  `error_500`: answer HTTP 500 without running anything.
   *  `system_error`: run the request, then answer 40004 ACQ.SYSTEM_ERROR. */
  kind: 'drop_response' | 'error_500' | 'system_error';
  /** The API method (e.g. `alipay.trade.pay`); any when absent. */
  method?: string;
  times?: number;
}

export interface FakeCapture {
  tradeNo: string;
  outTradeNo: string;
  agreementNo: string;
  /** Fen. */
  amount: number;
  at: string;
}

export interface Exchange {
  method: string;
  params: Record<string, string>;
  biz: Obj;
  code?: string;
  subCode?: string;
  dropped: boolean;
}

export interface Notification {
  url: string;
  form: Record<string, string>;
  status?: number;
  answer?: string;
  /** True once the merchant answered `success`. */
  acknowledged: boolean;
}

interface Agreement {
  agreementNo: string;
  externalAgreementNo: string;
  externalLogonId?: string;
  personalProductCode: string;
  signScene: string;
  principalId: string;
  account: TestAccount;
  status: 'NORMAL' | 'STOP' | 'UNSIGN';
  signTime: string;
  notifyUrl?: string;
}

interface PendingSign {
  token: string;
  biz: Obj;
  notifyUrl?: string;
  returnUrl?: string;
  answered: boolean;
}

interface Trade {
  tradeNo: string;
  outTradeNo: string;
  amount: number;
  totalAmount: string;
  subject: string;
  body?: string;
  agreementNo: string;
  principalId: string;
  logonId: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  gmtCreate: string;
  gmtPayment?: string;
  notifyUrl?: string;
}

export interface AlipayFake {
  /** The server's origin. */
  url: string;
  /** The gateway URL (`ALIPAY_GATEWAY`). */
  gateway: string;
  appId: string;
  /** The merchant's application private key (PKCS#8 PEM), generated for this fake. */
  appPrivateKey: string;
  /** Alipay's public key (SPKI PEM): what the merchant verifies answers and notifications with. */
  alipayPublicKey: string;
  /** The merchant's Alipay user id (`seller_id`, the bill's account). */
  pid: string;
  stop(): Promise<void>;
  ledger(): FakeCapture[];
  exchanges(): Exchange[];
  fault(fault: Fault): void;
  /** The customer confirms a signing page (`url` is the page the adapter handed out). */
  confirmSigning(url: string, account?: string): Promise<{ agreementNo: string }>;
  /** The customer ends the agreement in the Alipay app (an unsign notify follows). */
  unsignByUser(agreementNo: string): Promise<void>;
  agreements(): Agreement[];
  trades(): Trade[];
  /** Waiting debits (account `waits`) are paid now; their notifications follow. Returns how many. */
  settleWaiting(): Promise<number>;
  notifications(): Notification[];
  /**
   * Posts every notification not yet answered `success` (Alipay's redelivery); `origin`
   * replaces the notify_url's origin (a test server whose port was not known when it was set).
   */
  deliverNotifies(origin?: string): Promise<number>;
  /** Signs `params` as Alipay signs a notification (for tests of tampered or forged ones). */
  signNotify(params: Record<string, string>): Record<string, string>;
}

class GatewayError extends Error {
  constructor(
    readonly code: string,
    readonly msg: string,
    readonly subCode: string,
    readonly subMsg: string,
  ) {
    super(`${code} ${subCode}: ${subMsg}`);
  }
}

const missing = (what: string, name: string) => new GatewayError('40001', 'Missing Required Arguments', `isv.missing-${what}`, `缺少${name}参数`);
const invalid = (what: string, msg: string) => new GatewayError('40002', 'Invalid Arguments', `isv.invalid-${what}`, msg);
const business = (subCode: string, subMsg: string) => new GatewayError('40004', 'Business Failed', subCode, subMsg);

/** Sub codes of `alipay.trade.pay` the fake can answer, with Alipay's descriptions. */
const PAY_ERRORS: Record<string, string> = {
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': '买家余额不足',
  'ACQ.BUYER_ENABLE_STATUS_FORBID': '买家状态非法',
  'ACQ.AGREEMENT_NOT_EXIST': '用户协议不存在',
  'ACQ.AGREEMENT_INVALID': '用户协议失效',
  'ACQ.SYSTEM_ERROR': '系统错误',
};

/** Sign string of OpenAPI 2.0: sorted `key=value` pairs, empty values and the excluded keys left out. */
export function alipaySignContent(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/** Beijing wall time `yyyy-MM-dd HH:mm:ss` of an instant. */
export function beijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Fen → Alipay's yuan string, and back (exactly two decimals, integers only). */
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
function fenOf(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(value) : undefined;
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

// ---- GBK and zip, with node built-ins only -----------------------------------------------------

let gbkTable: Map<string, Buffer> | undefined;
/** Encodes text as GBK: the reverse of Node's own GBK decoder over every two-byte code. */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const bytes = Buffer.from([lead, trail]);
        const ch = decoder.decode(bytes);
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, bytes);
      }
    }
  }
  const out: Buffer[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(Buffer.from(ch, 'latin1'));
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(bytes);
    }
  }
  return Buffer.concat(out);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive (PKZIP APPNOTE 6.3: local headers, deflate, central directory), names in GBK as Alipay's are. */
export function zip(files: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const name = encodeGbk(file.name);
    const compressed = deflateRawSync(file.data);
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6); // no UTF-8 flag: the name is in the local code page (GBK)
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time and date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(file.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The merchant's key pair, as the merchant generates it (Alipay's key tool makes RSA 2048). */
export function generateAppKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const SIGN_PAGE_STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#eef3fb;color:#1d2430}
main{max-width:420px;margin:24px auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 2px 12px #0002}
.brand{font-size:13px;letter-spacing:.08em;color:#1677ff}.note{font-size:13px;background:#fff7d6;border-radius:8px;padding:8px 12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px}dt{color:#5b6472}dd{margin:0}
fieldset{border:0;padding:0;margin:16px 0}label{display:block;padding:10px;border:1px solid #d5dae1;border-radius:8px;margin:6px 0}
.buttons{display:flex;gap:8px}button{flex:1;font:inherit;padding:12px;border-radius:8px;border:1px solid #1677ff;background:#fff}
button[value=agree]{background:#1677ff;color:#fff}`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function startAlipayFake(options: AlipayFakeOptions = {}): Promise<AlipayFake> {
  const clock = options.clock ?? { now: () => new Date() };
  const autoNotify = options.autoNotify ?? true;
  const app = generateAppKeys();
  const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alipayPublicKey = alipay.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const appId = `2021${randomBytes(6).readUIntBE(0, 6).toString().padStart(12, '0').slice(0, 12)}`;
  const pid = `2088${String(randomBytes(6).readUIntBE(0, 6)).padStart(12, '0').slice(0, 12)}`;
  let seq = 0;
  const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

  const pendingSigns = new Map<string, PendingSign>();
  const agreements = new Map<string, Agreement>();
  const trades = new Map<string, Trade>();
  const captures: FakeCapture[] = [];
  const log: Exchange[] = [];
  const faults: Fault[] = [];
  const notifications: Notification[] = [];
  const bills = new Map<string, { zip: Buffer; expires: number }>();
  let origin = '';

  const signWithAlipay = (content: string) => createSign('RSA-SHA256').update(content, 'utf8').sign(alipay.privateKey, 'base64');

  function signNotify(params: Record<string, string>): Record<string, string> {
    const form = { ...params, sign_type: 'RSA2' };
    return { ...form, sign: signWithAlipay(alipaySignContent(form, ['sign', 'sign_type'])) };
  }

  async function post(n: Notification, origin?: string): Promise<void> {
    try {
      const target = origin ? `${origin}${new URL(n.url).pathname}` : n.url;
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(n.form).toString(),
      });
      n.status = res.status;
      n.answer = await res.text();
      n.acknowledged = res.status === 200 && n.answer.trim() === 'success';
    } catch (error) {
      n.status = 0;
      n.answer = String(error);
    }
  }

  function notify(url: string | undefined, params: Record<string, string>): void {
    if (!url) return;
    const now = clock.now();
    const n: Notification = {
      url,
      form: signNotify({
        notify_time: beijingTime(now),
        notify_id: `${Date.now().toString(36)}${randomBytes(10).toString('hex')}`,
        app_id: appId,
        charset: 'utf-8',
        version: '1.0',
        ...params,
      }),
      acknowledged: false,
    };
    notifications.push(n);
    if (autoNotify) void post(n);
  }

  function tradeNotify(t: Trade): void {
    notify(t.notifyUrl, {
      notify_type: 'trade_status_sync',
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      trade_status: t.status,
      total_amount: t.totalAmount,
      receipt_amount: t.totalAmount,
      buyer_pay_amount: t.totalAmount,
      invoice_amount: t.totalAmount,
      buyer_id: t.principalId,
      buyer_logon_id: t.logonId,
      seller_id: pid,
      subject: t.subject,
      gmt_create: t.gmtCreate,
      ...(t.gmtPayment ? { gmt_payment: t.gmtPayment } : {}),
      auth_app_id: appId,
    });
  }

  function capture(t: Trade): void {
    t.status = 'TRADE_SUCCESS';
    t.gmtPayment = beijingTime(clock.now());
    captures.push({ tradeNo: t.tradeNo, outTradeNo: t.outTradeNo, agreementNo: t.agreementNo, amount: t.amount, at: clock.now().toISOString() });
  }

  // ---- the API methods --------------------------------------------------------------------

  function agreementView(a: Agreement): Obj {
    return {
      agreement_no: a.agreementNo,
      external_agreement_no: a.externalAgreementNo,
      ...(a.externalLogonId ? { external_logon_id: a.externalLogonId } : {}),
      personal_product_code: a.personalProductCode,
      sign_scene: a.signScene,
      status: a.status === 'UNSIGN' ? 'STOP' : a.status,
      sign_time: a.signTime,
      valid_time: a.signTime,
      invalid_time: '2115-02-01 00:00:00',
      principal_id: a.principalId,
      alipay_logon_id: a.account.logonId,
      pricipal_type: 'CARD',
    };
  }

  /** Ends an agreement (the merchant's unsign or the customer's, in the Alipay app) and tells the merchant. */
  function unsign(a: Agreement): void {
    a.status = 'UNSIGN';
    notify(a.notifyUrl, {
      notify_type: 'dut_user_unsign',
      agreement_no: a.agreementNo,
      external_agreement_no: a.externalAgreementNo,
      personal_product_code: a.personalProductCode,
      sign_scene: a.signScene,
      alipay_user_id: a.principalId,
      status: 'UNSIGN',
      unsign_time: beijingTime(clock.now()),
    });
  }

  function findAgreement(biz: Obj): Agreement | undefined {
    if (typeof biz['agreement_no'] === 'string') return agreements.get(biz['agreement_no']);
    const ext = biz['external_agreement_no'];
    if (typeof ext !== 'string') throw business('INVALID_PARAMETER', 'agreement_no 与 external_agreement_no 不能同时为空');
    return [...agreements.values()].find(
      (a) => a.externalAgreementNo === ext && a.personalProductCode === biz['personal_product_code'] && a.signScene === biz['sign_scene'] && a.status !== 'UNSIGN',
    );
  }

  function tradeView(t: Trade): Obj {
    return {
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      buyer_logon_id: t.logonId,
      buyer_user_id: t.principalId,
      trade_status: t.status,
      total_amount: t.totalAmount,
      ...(t.status === 'TRADE_SUCCESS' ? { receipt_amount: t.totalAmount, buyer_pay_amount: t.totalAmount, send_pay_date: t.gmtPayment } : {}),
    };
  }

  function tradePay(biz: Obj, params: Record<string, string>, fault: Fault | undefined): Obj {
    const outTradeNo = biz['out_trade_no'];
    if (typeof outTradeNo !== 'string' || !outTradeNo) throw business('ACQ.INVALID_PARAMETER', '参数无效: out_trade_no 不能为空');
    // 商户订单号: 64 characters at most, letters, digits and underscores only.
    if (!/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo)) throw business('ACQ.INVALID_PARAMETER', '参数无效: out_trade_no 仅支持字母、数字、下划线，最长64位');
    const amount = fenOf(biz['total_amount']);
    if (amount === undefined || amount < 1 || amount > 10_000_000_000)
      throw business('ACQ.INVALID_PARAMETER', '参数无效: total_amount 取值范围[0.01,100000000]，精确到小数点后两位');
    if (typeof biz['subject'] !== 'string' || !biz['subject']) throw business('ACQ.INVALID_PARAMETER', '参数无效: subject 不能为空');
    if (biz['product_code'] !== 'GENERAL_WITHHOLDING' && biz['product_code'] !== 'CYCLE_PAY_AUTH')
      throw business('ACQ.INVALID_PARAMETER', '参数无效: 商家扣款 product_code 应为 GENERAL_WITHHOLDING');
    const agreementNo = (biz['agreement_params'] as Obj | undefined)?.['agreement_no'];
    if (typeof agreementNo !== 'string') throw business('ACQ.INVALID_PARAMETER', '参数无效: agreement_params.agreement_no 不能为空');

    const existing = trades.get(outTradeNo);
    if (existing) {
      // The same out_trade_no is the same trade: never a second capture.
      if (existing.amount !== amount || existing.agreementNo !== agreementNo) throw business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      if (existing.status === 'TRADE_SUCCESS') throw business('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (existing.status === 'TRADE_CLOSED') throw business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      return { code: '10003', msg: ' order success pay inprocess', ...tradeView(existing) };
    }
    const agreement = agreements.get(agreementNo);
    if (!agreement) throw business('ACQ.AGREEMENT_NOT_EXIST', PAY_ERRORS['ACQ.AGREEMENT_NOT_EXIST']!);
    if (agreement.status !== 'NORMAL') throw business('ACQ.AGREEMENT_INVALID', PAY_ERRORS['ACQ.AGREEMENT_INVALID']!);
    const debit = agreement.account.debit;
    if (debit.startsWith('ACQ.')) throw business(debit, PAY_ERRORS[debit] ?? '支付失败');
    const trade: Trade = {
      tradeNo: `${beijingTime(clock.now()).slice(0, 10).replace(/-/g, '')}22001${digits(17)}`,
      outTradeNo,
      amount,
      totalAmount: yuan(amount),
      subject: String(biz['subject']),
      ...(typeof biz['body'] === 'string' ? { body: biz['body'] } : {}),
      agreementNo,
      principalId: agreement.principalId,
      logonId: agreement.account.logonId,
      status: 'WAIT_BUYER_PAY',
      gmtCreate: beijingTime(clock.now()),
      ...(params['notify_url'] ? { notifyUrl: params['notify_url'] } : {}),
    };
    trades.set(outTradeNo, trade);
    if (debit === 'waits') return { code: '10003', msg: ' order success pay inprocess', ...tradeView(trade) };
    capture(trade);
    tradeNotify(trade);
    if (debit === 'system_error_after_capture' || fault?.kind === 'system_error') throw business('ACQ.SYSTEM_ERROR', PAY_ERRORS['ACQ.SYSTEM_ERROR']!);
    return { code: '10000', msg: 'Success', ...tradeView(trade), gmt_payment: trade.gmtPayment, fund_bill_list: [{ fund_channel: 'ALIPAYACCOUNT', amount: trade.totalAmount }] };
  }

  function billDownload(biz: Obj): Obj {
    if (biz['bill_type'] !== 'trade') throw business('isv.invalid-parameter', '参数无效: 仅支持 bill_type=trade');
    const date = biz['bill_date'];
    if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw business('isv.invalid-parameter', '参数无效: bill_date 日账单格式为yyyy-MM-dd');
    // A day's bill is made on the next day between 09:00 and 10:00 Beijing time (Alipay's
    // reconciliation-file documentation): this fake publishes it at 09:30; before, there is none.
    const publishedAt = Date.parse(`${date}T09:30:00+08:00`) + 86_400_000;
    if (clock.now().getTime() < publishedAt) throw business('isp.bill_not_exist', '账单不存在');
    const token = randomBytes(12).toString('hex');
    bills.set(token, { zip: billZip(date), expires: clock.now().getTime() + 30_000 });
    return { code: '10000', msg: 'Success', bill_download_url: `${origin}/downloadBillFile.resource?fileId=${token}&bizType=trade&bizDates=${date.replace(/-/g, '')}` };
  }

  /** The day's trade bill as Alipay publishes it: GBK CSV, values tab-padded, inside a zip. */
  function billZip(date: string): Buffer {
    const compact = date.replace(/-/g, '');
    const rows = [...trades.values()].filter((t) => t.status === 'TRADE_SUCCESS' && t.gmtPayment?.startsWith(date));
    const [y, m, d] = date.split('-');
    const next = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d) + 1)).toISOString().slice(0, 10).split('-');
    const header = [
      '支付宝交易号',
      '商户订单号',
      '业务类型',
      '商品名称',
      '创建时间',
      '完成时间',
      '门店编号',
      '门店名称',
      '操作员',
      '终端号',
      '对方账户',
      '订单金额（元）',
      '商家实收（元）',
      '支付宝红包（元）',
      '集分宝（元）',
      '支付宝优惠（元）',
      '商家优惠（元）',
      '券核销金额（元）',
      '券名称',
      '商家红包消费金额（元）',
      '卡消费金额（元）',
      '退款批次号/请求号',
      '服务费（元）',
      '分润（元）',
      '备注',
    ];
    const line = (values: string[]) => values.map((v) => `${v}\t`).join(',');
    const fee = (t: Trade) => yuan(Math.round((t.amount * 6) / 1000)); // 0.6 % service fee, for realism only
    const detail = [
      '#支付宝业务明细查询',
      `#账号：[${pid}0156]`,
      `#起始日期：[${y}年${m}月${d}日 00:00:00]   终止日期：[${next[0]}年${next[1]}月${next[2]}日 00:00:00]`,
      '#-----------------------------------------业务明细列表----------------------------------------',
      header.join(','),
      ...rows.map((t) =>
        line([
          t.tradeNo,
          t.outTradeNo,
          '交易',
          t.subject,
          t.gmtCreate,
          t.gmtPayment!,
          '',
          '',
          '',
          '',
          t.logonId,
          t.totalAmount,
          t.totalAmount,
          '0.00',
          '0.00',
          '0.00',
          '0.00',
          '0.00',
          '',
          '0.00',
          '0.00',
          '',
          `-${fee(t)}`,
          '0.00',
          t.body ?? '',
        ]),
      ),
      '#-----------------------------------------业务明细列表结束------------------------------------',
      `#交易合计：${rows.length}笔，退款合计：0笔`,
      `#导出时间：[${beijingTime(clock.now()).replace(/^(\d+)-(\d+)-(\d+)/, '$1年$2月$3日')}]`,
    ].join('\r\n');
    const total = rows.reduce((s, t) => s + t.amount, 0);
    const summary = [
      '#支付宝业务汇总查询',
      `#账号：[${pid}0156]`,
      '#-----------------------------------------业务汇总列表----------------------------------------',
      '门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）',
      `合计,,${rows.length},0,${yuan(total)},${yuan(total)}`,
      '#-----------------------------------------业务汇总列表结束------------------------------------',
    ].join('\r\n');
    return zip([
      { name: `${pid}0156_${compact}_业务明细.csv`, data: encodeGbk(detail) },
      { name: `${pid}0156_${compact}_业务明细(汇总).csv`, data: encodeGbk(summary) },
    ]);
  }

  function run(method: string, biz: Obj, params: Record<string, string>, fault: Fault | undefined): Obj {
    switch (method) {
      case 'alipay.user.agreement.query': {
        const a = findAgreement(biz);
        if (!a || a.status === 'UNSIGN') throw business('USER_AGREEMENT_NOT_EXIST', '用户协议不存在');
        return { code: '10000', msg: 'Success', ...agreementView(a) };
      }
      case 'alipay.user.agreement.unsign': {
        const a = findAgreement(biz);
        if (!a || a.status === 'UNSIGN') throw business('USER_AGREEMENT_NOT_EXIST', '用户协议不存在');
        unsign(a);
        return { code: '10000', msg: 'Success' };
      }
      case 'alipay.trade.pay':
        return tradePay(biz, params, fault);
      case 'alipay.trade.query': {
        const key = typeof biz['out_trade_no'] === 'string' ? biz['out_trade_no'] : undefined;
        const t = key ? trades.get(key) : [...trades.values()].find((x) => x.tradeNo === biz['trade_no']);
        if (!t) throw business('ACQ.TRADE_NOT_EXIST', '交易不存在');
        return { code: '10000', msg: 'Success', ...tradeView(t) };
      }
      case 'alipay.data.dataservice.bill.downloadurl.query':
        return billDownload(biz);
      default:
        throw invalid('method', '不存在的方法名');
    }
  }

  // ---- the gateway's own checks -----------------------------------------------------------

  const METHODS = [
    'alipay.user.agreement.query',
    'alipay.user.agreement.unsign',
    'alipay.trade.pay',
    'alipay.trade.query',
    'alipay.data.dataservice.bill.downloadurl.query',
    'alipay.user.agreement.page.sign',
  ];

  /** What the gateway checks before any method runs; returns the parsed biz_content. */
  function checkCommon(params: Record<string, string>, pageMethod: boolean): Obj {
    if (!params['method']) throw missing('method', '方法名');
    if (!METHODS.includes(params['method']) || (params['method'] === 'alipay.user.agreement.page.sign') !== pageMethod) throw invalid('method', '不存在的方法名');
    if (!params['app_id']) throw missing('app-id', 'AppID');
    if (params['app_id'] !== appId) throw invalid('app-id', '无效的AppID参数');
    if (!params['sign_type']) throw missing('signature-type', '签名类型');
    if (params['sign_type'] !== 'RSA2') throw invalid('signature-type', '无效的签名类型');
    if (!params['sign']) throw missing('signature', '签名');
    if (!params['timestamp']) throw missing('timestamp', '时间戳');
    // "yyyy-MM-dd HH:mm:ss". The SDK stamps its host's local time, so only the form is checked.
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params['timestamp'])) throw invalid('timestamp', '非法的时间戳参数');
    if (!params['version']) throw missing('version', '版本');
    if (params['version'] !== '1.0') throw invalid('parameter', '无效的版本参数');
    if (params['charset'] && params['charset'].toLowerCase() !== 'utf-8') throw invalid('charset', '字符集错误');
    if (params['format'] && params['format'].toUpperCase() !== 'JSON') throw invalid('format', '无效的数据格式');
    const verified = createVerify('RSA-SHA256')
      .update(alipaySignContent(params, ['sign']), 'utf8')
      .verify(app.publicKey, params['sign'], 'base64');
    if (!verified) throw invalid('signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配');
    if (!params['biz_content']) throw missing('biz-content', 'biz_content');
    let biz: unknown;
    try {
      biz = JSON.parse(params['biz_content']);
    } catch {
      throw invalid('parameter', 'biz_content 不是合法的JSON');
    }
    if (!biz || typeof biz !== 'object' || Array.isArray(biz)) throw invalid('parameter', 'biz_content 不是JSON对象');
    return biz as Obj;
  }

  function takeFault(method: string): Fault | undefined {
    const i = faults.findIndex((f) => !f.method || f.method === method);
    if (i < 0) return undefined;
    const f = faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) faults.splice(i, 1);
    return f;
  }

  /** `{"<method>_response":{…},"sign":"…"}`, the sign over the exact text of the inner object. */
  function envelope(method: string, inner: Obj): string {
    const text = JSON.stringify(inner);
    return `{"${method.replace(/\./g, '_')}_response":${text},"sign":"${signWithAlipay(text)}"}`;
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handleGateway(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req);
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST' && raw) {
      const type = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim();
      if (type !== 'application/x-www-form-urlencoded') {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('unsupported content type');
        return;
      }
      for (const [k, v] of new URLSearchParams(raw)) params[k] = v;
    }
    const method = params['method'] ?? '';
    if (method === 'alipay.user.agreement.page.sign') return signPage(res, params);
    const fault = takeFault(method);
    const exchange: Exchange = { method, params, biz: {}, dropped: false };
    log.push(exchange);
    if (fault?.kind === 'error_500') {
      res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>500 Internal Server Error</body></html>');
      return;
    }
    let inner: Obj;
    try {
      exchange.biz = checkCommon(params, false);
      inner = run(method, exchange.biz, params, fault);
      if (fault?.kind === 'system_error' && method !== 'alipay.trade.pay') throw business('ACQ.SYSTEM_ERROR', '系统错误');
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      inner = { code: error.code, msg: error.msg, sub_code: error.subCode, sub_msg: error.subMsg };
    }
    exchange.code = String(inner['code']);
    if (inner['sub_code']) exchange.subCode = String(inner['sub_code']);
    if (fault?.kind === 'drop_response') {
      exchange.dropped = true;
      req.socket.destroy();
      return;
    }
    const known = METHODS.includes(method);
    res
      .writeHead(200, { 'content-type': 'text/html;charset=utf-8', trace_id: randomBytes(8).toString('hex') })
      .end(known ? envelope(method, inner) : `{"error_response":${JSON.stringify(inner)}}`);
  }

  /** The signing page (`alipay.user.agreement.page.sign` opened in the browser or the app). */
  function signPage(res: ServerResponse, params: Record<string, string>): void {
    const page = (status: number, title: string, body: string) =>
      res
        .writeHead(status, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'; base-uri 'none'",
        })
        .end(
          `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${SIGN_PAGE_STYLE}</style></head><body><main><p class="brand">支付宝 · Alipay (local stand-in)</p><h1>${escapeHtml(title)}</h1>${body}<p class="note">A local stand-in for Alipay's signing page: nothing here is a real account.</p></main></body></html>`,
        );
    let biz: Obj;
    try {
      biz = checkCommon(params, true);
      if (typeof biz['personal_product_code'] !== 'string') throw missing('parameter', 'personal_product_code');
      if (!biz['access_params'] || typeof biz['access_params'] !== 'object') throw missing('parameter', 'access_params');
      const ext = biz['external_agreement_no'];
      if (ext !== undefined && (typeof ext !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(ext))) throw invalid('parameter', 'external_agreement_no 支持大写小写字母和数字，最长32位');
      if (ext !== undefined && (!biz['sign_scene'] || biz['sign_scene'] === 'DEFAULT|DEFAULT')) throw invalid('parameter', '传入 external_agreement_no 时 sign_scene 不能为默认值');
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      page(400, '签约参数错误', `<p id="error">${escapeHtml(`${error.subCode}: ${error.subMsg}`)}</p>`);
      return;
    }
    const token = randomBytes(12).toString('hex');
    pendingSigns.set(token, {
      token,
      biz,
      ...(params['notify_url'] ? { notifyUrl: params['notify_url'] } : {}),
      ...(params['return_url'] ? { returnUrl: params['return_url'] } : {}),
      answered: false,
    });
    const choices = Object.entries(ACCOUNTS)
      .map(([phone, a], i) => `<label><input type="radio" name="account" value="${phone}"${i === 0 ? ' checked' : ''}> ${escapeHtml(a.logonId)} — ${escapeHtml(a.label)}</label>`)
      .join('');
    page(
      200,
      '开通免密支付 · Agree to automatic debits',
      `<p>The merchant asks to debit your Alipay account for your installments (商家扣款).</p>
<dl><dt>Merchant</dt><dd>repayflow</dd><dt>Your account there</dt><dd id="external-logon-id">${escapeHtml(String(biz['external_logon_id'] ?? '-'))}</dd><dt>Product</dt><dd>${escapeHtml(String(biz['personal_product_code']))}</dd></dl>
<form method="post" action="/sign/${token}"><fieldset><legend>Choose a test account</legend>${choices}</fieldset>
<div class="buttons"><button type="submit" name="action" value="cancel">Cancel</button><button type="submit" name="action" value="agree" id="agree">Agree and sign</button></div></form>`,
    );
  }

  /** The customer's answer on the signing page: an agreement, its notify, back to the merchant. */
  function answerSign(token: string, account: string | undefined, agree: boolean): { agreement?: Agreement; returnUrl?: string } {
    const pending = pendingSigns.get(token);
    if (!pending || pending.answered) throw new Error('no signing page is waiting under this token');
    pending.answered = true;
    if (!agree) return { ...(pending.returnUrl ? { returnUrl: pending.returnUrl } : {}) };
    const chosen = ACCOUNTS[account ?? '13800005678'];
    if (!chosen) throw new Error(`unknown test account ${account}`);
    const biz = pending.biz;
    const now = clock.now();
    seq += 1;
    const agreement: Agreement = {
      agreementNo: `${beijingTime(now).slice(0, 10).replace(/-/g, '')}${String(seq).padStart(4, '0')}${digits(8)}`,
      externalAgreementNo: String(biz['external_agreement_no'] ?? ''),
      ...(typeof biz['external_logon_id'] === 'string' ? { externalLogonId: biz['external_logon_id'] } : {}),
      personalProductCode: String(biz['personal_product_code']),
      signScene: String(biz['sign_scene'] ?? 'DEFAULT|DEFAULT'),
      principalId: `2088${digits(12)}`,
      account: chosen,
      status: 'NORMAL',
      signTime: beijingTime(now),
      ...(pending.notifyUrl ? { notifyUrl: pending.notifyUrl } : {}),
    };
    agreements.set(agreement.agreementNo, agreement);
    notify(pending.notifyUrl, {
      notify_type: 'dut_user_sign',
      agreement_no: agreement.agreementNo,
      external_agreement_no: agreement.externalAgreementNo,
      ...(agreement.externalLogonId ? { external_logon_id: agreement.externalLogonId } : {}),
      personal_product_code: agreement.personalProductCode,
      sign_scene: agreement.signScene,
      alipay_user_id: agreement.principalId,
      alipay_logon_id: agreement.account.logonId,
      status: 'NORMAL',
      sign_time: agreement.signTime,
      valid_time: agreement.signTime,
      invalid_time: '2115-02-01 00:00:00',
    });
    return { agreement, ...(pending.returnUrl ? { returnUrl: pending.returnUrl } : {}) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/gateway.do') return handleGateway(req, res, url);
    const sign = /^\/sign\/([0-9a-f]{24})$/.exec(url.pathname);
    if (sign && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const action = form.get('action');
      let answered: ReturnType<typeof answerSign>;
      try {
        answered = answerSign(sign[1]!, form.get('account') ?? undefined, action === 'agree');
      } catch (error) {
        res.writeHead(409, { 'content-type': 'text/plain; charset=utf-8' }).end(String(error instanceof Error ? error.message : error));
        return;
      }
      if (answered.returnUrl) res.writeHead(303, { location: answered.returnUrl }).end();
      else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(answered.agreement ? '签约成功' : '已取消');
      return;
    }
    if (url.pathname === '/downloadBillFile.resource' && req.method === 'GET') {
      const bill = bills.get(url.searchParams.get('fileId') ?? '');
      if (!bill || bill.expires < clock.now().getTime()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('expired');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/oct-stream', 'content-disposition': 'attachment; filename="bill.csv.zip"' }).end(bill.zip);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    gateway: `${origin}/gateway.do`,
    appId,
    appPrivateKey: app.privateKey,
    alipayPublicKey,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    ledger: () => captures.map((c) => ({ ...c })),
    exchanges: () => [...log],
    fault: (f) => faults.push({ ...f, times: f.times ?? 1 }),
    async confirmSigning(pageUrl, account) {
      // Open the page as the customer's browser would, then agree on it.
      const html = await (await fetch(pageUrl)).text();
      const token = /action="\/sign\/([0-9a-f]{24})"/.exec(html)?.[1];
      if (!token) throw new Error(`the signing page did not open: ${html.slice(0, 300)}`);
      const answered = answerSign(token, account, true);
      return { agreementNo: answered.agreement!.agreementNo };
    },
    async unsignByUser(agreementNo) {
      const a = agreements.get(agreementNo);
      if (!a) throw new Error(`no agreement ${agreementNo}`);
      unsign(a);
    },
    agreements: () => [...agreements.values()].map((a) => ({ ...a })),
    trades: () => [...trades.values()].map((t) => ({ ...t })),
    async settleWaiting() {
      const waiting = [...trades.values()].filter((t) => t.status === 'WAIT_BUYER_PAY');
      for (const t of waiting) {
        capture(t);
        tradeNotify(t);
      }
      return waiting.length;
    },
    notifications: () => notifications.map((n) => ({ ...n, form: { ...n.form } })),
    async deliverNotifies(to) {
      const due = notifications.filter((n) => !n.acknowledged);
      for (const n of due) await post(n, to);
      return due.length;
    },
    signNotify,
  };
}
