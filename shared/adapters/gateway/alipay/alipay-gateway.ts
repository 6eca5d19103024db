/**
 * `alipay` through Alipay's agreement deduction (商家扣款, https://opendocs.alipay.com/open/08bg92)
 * with the official `alipay-sdk` (OpenAPI 2.0 `exec`, RSA2 request signing, and verification of
 * every answer's `sign` with Alipay's public key):
 *
 * - setup: a signing page (`alipay.user.agreement.page.sign`, opened in the browser or the
 *   Alipay app) under an `external_agreement_no` derived from the setup key, so one key is one
 *   authorisation; `alipay.user.agreement.query` says when the customer has signed, with the
 *   agreement number (the method's token) and the masked Alipay account (its display);
 * - charge: `alipay.trade.pay` with `agreement_params.agreement_no`, product GENERAL_WITHHOLDING,
 *   the attempt id as `out_trade_no` (one attempt, one trade: Alipay never captures one
 *   out_trade_no twice) and the amount as an exact yuan string;
 * - status: `alipay.trade.query` by `out_trade_no`;
 * - captures: the daily trade bill; release: `alipay.user.agreement.unsign`.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { AlipayRequestError, AlipaySdk, type AlipaySdkCommonResult } from 'alipay-sdk';
import type { PaymentMethodType } from '../../../domain/customer.ts';
import { type ListingLag, listingReadyAt } from '../../../domain/reconciliation.ts';
import {
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatus,
  ListingNotReady,
  type ProviderCapture,
  type ProviderGateway,
  type SetupRequest,
  type SetupStarted,
  type SetupStatus,
  type StatusQuery,
  type TokenCheck,
  type TokenInput,
} from '../../../ports/payment-gateway.port.ts';
import { parseTradeBill } from './alipay-bill.ts';
import { classifyDebitAnswer } from './alipay-errors.ts';

export interface AlipayGatewayOptions {
  appId: string;
  /** The application private key: PEM (PKCS#1 or PKCS#8) or its base64 body, as Alipay's key tool gives it. */
  privateKey: string;
  /** Alipay's public key (支付宝公钥): PEM or base64 body. */
  alipayPublicKey: string;
  /** `https://openapi.alipay.com/gateway.do` unless a sandbox or fake is named. */
  gateway?: string;
  /** Where Alipay posts its notifications (`…/v1/webhooks/alipay`); without it the status checks alone settle. */
  notifyUrl?: string;
  /** The portal's origin: Alipay sends the customer back there after signing (`returnUrl` is a path of it). */
  returnOrigin?: string;
  /** 签约场景 agreed with Alipay for the merchant's product (required with external_agreement_no). */
  signScene?: string;
  clock?: { now(): Date };
  /** Per request (default 15 s, well under a worker's timeout). */
  timeoutMs?: number;
  /** How long after an attempt a trade Alipay cannot find is trusted to be absent (default 10 min). */
  settleMs?: number;
  /**
   * When the trade bill of a Beijing day is published, the next day (default `10:00`): "前一日的
   * 日账单在第二天生成", downloadable for any day "当天除外" (对账说明,
   * https://docs.open.alipay.com/204/106262/); Alipay's reconciliation-file documentation puts its
   * generation "during 9:00-10:00 on T + 1 … China Standard Time", so 10:00 is when it is whole.
   */
  billReadyAt?: string;
}

/** 商家扣款: the sales product of each debit and the personal product the customer signs. */
export const PRODUCT_CODE = 'GENERAL_WITHHOLDING';
export const PERSONAL_PRODUCT_CODE = 'GENERAL_WITHHOLDING_P';
export const DEFAULT_SIGN_SCENE = 'INDUSTRY|DIGITAL_MEDIA';

/**
 * `out_trade_no` is at most 64 letters, digits and underscores. The attempt id
 * (`<planId>:<period>:<n>`, `<planId>:manual:<hash>`, planIds `[A-Za-z0-9_-]`) is written
 * reversibly: letters and digits as they are, `_` → `_U`, `-` → `_H`, `:` → `_C`, anything
 * else `_X` + 4 hex digits. An id whose form would not fit becomes `Z_` + a hash, and the
 * attempt id then travels in the trade's `body` (the bill's 备注 column) for reconciliation.
 */
export function outTradeNo(attemptId: string): string {
  const encoded = [...attemptId]
    .map((ch) => {
      if (/[A-Za-z0-9]/.test(ch)) return ch;
      if (ch === '_') return '_U';
      if (ch === '-') return '_H';
      if (ch === ':') return '_C';
      return `_X${ch.codePointAt(0)!.toString(16).padStart(4, '0').slice(-4)}`;
    })
    .join('');
  if (encoded.length <= 64 && !encoded.startsWith('Z_')) return encoded;
  return `Z_${createHash('sha256').update(attemptId).digest('hex').slice(0, 62)}`;
}

/** The attempt id an `out_trade_no` was made from, or undefined for a hashed one (and anything not ours). */
export function attemptIdOf(outTradeNoValue: string): string | undefined {
  if (outTradeNoValue.startsWith('Z_')) return undefined;
  let out = '';
  for (let i = 0; i < outTradeNoValue.length; i++) {
    const ch = outTradeNoValue[i]!;
    if (ch !== '_') {
      if (!/[A-Za-z0-9]/.test(ch)) return undefined;
      out += ch;
      continue;
    }
    const code = outTradeNoValue[++i];
    if (code === 'U') out += '_';
    else if (code === 'H') out += '-';
    else if (code === 'C') out += ':';
    else if (code === 'X') {
      const hex = outTradeNoValue.slice(i + 1, i + 5);
      if (!/^[0-9a-f]{4}$/.test(hex)) return undefined;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 4;
    } else return undefined;
  }
  return out;
}

/** Fen → Alipay's `total_amount` (yuan, two decimals), with integers only. */
export function yuanOf(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error(`not an amount in fen: ${fen}`);
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Beijing wall time `yyyy-MM-dd HH:mm:ss`, the form Alipay's `timestamp` takes. */
export function beijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** A key in any of the forms Alipay's tools give, as PEM the SDK reads (PKCS#8 / SPKI). */
function privateKeyPem(key: string): string {
  const k = key.trim();
  if (k.startsWith('-----')) return createPrivateKey(k).export({ type: 'pkcs8', format: 'pem' }).toString();
  const der = Buffer.from(k.replace(/\s+/g, ''), 'base64');
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type }).export({ type: 'pkcs8', format: 'pem' }).toString();
    } catch {
      // try the other encoding
    }
  }
  throw new Error('ALIPAY_PRIVATE_KEY is not an RSA private key (PEM, PKCS#8 or PKCS#1 base64)');
}

function publicKeyPem(key: string): string {
  const k = key.trim();
  if (k.startsWith('-----')) return createPublicKey(k).export({ type: 'spki', format: 'pem' }).toString();
  return createPublicKey({ key: Buffer.from(k.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

/** The agreement deduction's SDK client, shared by the gateway and the notify verifier. */
export function alipaySdk(options: Pick<AlipayGatewayOptions, 'appId' | 'privateKey' | 'alipayPublicKey' | 'gateway' | 'timeoutMs'>): AlipaySdk {
  return new AlipaySdk({
    appId: options.appId,
    privateKey: privateKeyPem(options.privateKey),
    keyType: 'PKCS8',
    alipayPublicKey: publicKeyPem(options.alipayPublicKey),
    signType: 'RSA2',
    gateway: options.gateway ?? 'https://openapi.alipay.com/gateway.do',
    timeout: options.timeoutMs ?? 15_000,
    camelcase: false,
  });
}

/** Alipay's `yyyy-MM-dd` for the Beijing date of an instant. */
const beijingDate = (at: Date) => beijingTime(at).slice(0, 10);

type Answer = { ok: true; body: AlipaySdkCommonResult } | { ok: false; reason: string };

export class AlipayGateway implements ProviderGateway {
  readonly provider = 'alipay' as const;
  readonly methodTypes: readonly PaymentMethodType[] = ['alipay'];
  private readonly sdk: AlipaySdk;
  private readonly clock: { now(): Date };
  private readonly settleMs: number;
  private readonly signScene: string;

  readonly listingLag: ListingLag;

  constructor(private readonly options: AlipayGatewayOptions) {
    this.listingLag = { readyAt: options.billReadyAt ?? '10:00', timeZone: 'Asia/Shanghai' };
    this.sdk = alipaySdk(options);
    this.clock = options.clock ?? { now: () => new Date() };
    this.settleMs = options.settleMs ?? 10 * 60_000;
    this.signScene = options.signScene ?? DEFAULT_SIGN_SCENE;
  }

  async startSetup(request: SetupRequest): Promise<SetupStarted> {
    this.assertAlipay(request.methodType);
    // 商户签约号: letters and digits, 32 at most; the same customer's same setup key is the same
    // authorisation (the key alone is the caller's, who may set up methods for several customers).
    const setupId = `RF${createHash('sha256')
      .update(JSON.stringify([request.customerId, request.setupKey]))
      .digest('hex')
      .slice(0, 30)}`;
    const returnUrl = this.returnUrl(request.returnUrl, setupId);
    const url = this.sdk.pageExecute('alipay.user.agreement.page.sign', 'GET', {
      bizContent: {
        personal_product_code: PERSONAL_PRODUCT_CODE,
        product_code: PRODUCT_CODE,
        sign_scene: this.signScene,
        external_agreement_no: setupId,
        // Shown on Alipay's page and returned with the agreement: whose binding this is.
        external_logon_id: request.customerId,
        access_params: { channel: 'ALIPAYAPP' },
      },
      timestamp: beijingTime(new Date()),
      ...(this.options.notifyUrl ? { notifyUrl: this.options.notifyUrl } : {}),
      ...(returnUrl ? { returnUrl } : {}),
    });
    return { setupId, next: { type: 'redirect', url } };
  }

  async setupStatus(setupId: string): Promise<SetupStatus> {
    const answer = await this.call('alipay.user.agreement.query', { personal_product_code: PERSONAL_PRODUCT_CODE, sign_scene: this.signScene, external_agreement_no: setupId });
    if (!answer.ok) throw new Error(`Alipay did not answer the agreement query: ${answer.reason}`);
    const body = answer.body;
    if (body.code === '10000') {
      if (body['status'] === 'NORMAL' && typeof body['agreement_no'] === 'string') {
        return {
          status: 'succeeded',
          token: body['agreement_no'],
          display: `alipay ${typeof body['alipay_logon_id'] === 'string' ? body['alipay_logon_id'] : '****'}`,
          ...(typeof body['principal_id'] === 'string' ? { customerReference: body['principal_id'] } : {}),
        };
      }
      if (body['status'] === 'STOP') return { status: 'failed', code: 'agreement_stopped' };
      return { status: 'pending' };
    }
    // No agreement under this number yet: the customer has not signed (or cancelled on the page).
    if (body.sub_code === 'USER_AGREEMENT_NOT_EXIST' || body.sub_code === 'ACQ.AGREEMENT_NOT_EXIST') return { status: 'pending' };
    throw new Error(`Alipay refused the agreement query: ${body.code} ${body.sub_code ?? ''} ${body.sub_msg ?? ''}`);
  }

  async verifyToken(input: TokenInput): Promise<TokenCheck> {
    // An agreement number alone does not say whose it is: agreements are bound through the
    // signing flow, whose external_agreement_no ties the agreement to the setup that started it.
    return {
      ok: false,
      code: 'unknown_token',
      detail: `Alipay agreements are bound through the signing flow (POST …/payment-methods/setup {"type":"${input.methodType}"}), not by a token`,
    };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.assertAlipay(request.methodType);
    if (request.currency !== 'CNY') return { outcome: 'declined', code: 'invalid_method' };
    const answer = await this.call(
      'alipay.trade.pay',
      {
        out_trade_no: outTradeNo(request.idempotencyKey),
        total_amount: yuanOf(request.amount),
        subject: `repayflow ${request.planId}`.slice(0, 256),
        body: request.idempotencyKey.slice(0, 128),
        product_code: PRODUCT_CODE,
        agreement_params: { agreement_no: request.token },
      },
      this.options.notifyUrl ? { notifyUrl: this.options.notifyUrl } : {},
    );
    if (!answer.ok) return { outcome: 'unknown', reason: answer.reason };
    const body = answer.body;
    if (body.code === '10000')
      return typeof body['trade_no'] === 'string'
        ? { outcome: 'captured', gatewayReference: body['trade_no'] }
        : { outcome: 'unknown', reason: 'Alipay answered 10000 without a trade_no' };
    // 10003: the trade waits for the buyer (Alipay confirms later; the notify or a query tells).
    if (body.code === '10003') return { outcome: 'pending' };
    const verdict = classifyDebitAnswer(body.code, body.sub_code);
    if (verdict.kind === 'declined') return { outcome: 'declined', code: verdict.code };
    if (verdict.kind === 'ask') return { outcome: 'unknown', reason: `Alipay answered ${body.code} ${body.sub_code ?? ''}: ask alipay.trade.query` };
    throw new Error(`Alipay refused alipay.trade.pay for ${request.idempotencyKey}: ${body.code} ${body.sub_code ?? ''} ${body.sub_msg ?? ''}`);
  }

  async status(query: StatusQuery): Promise<ChargeStatus> {
    const answer = await this.call('alipay.trade.query', { out_trade_no: outTradeNo(query.idempotencyKey) });
    if (!answer.ok) return { status: 'unknown', reason: answer.reason };
    const body = answer.body;
    if (body.code === '10000') {
      switch (body['trade_status']) {
        case 'TRADE_SUCCESS':
        case 'TRADE_FINISHED':
          return { status: 'captured', gatewayReference: String(body['trade_no']) };
        case 'WAIT_BUYER_PAY':
          return { status: 'pending' };
        case 'TRADE_CLOSED':
          // Closed unpaid (repayflow never refunds a debit): nothing was taken.
          return { status: 'declined', code: 'processing_error' };
        default:
          return { status: 'unknown', reason: `trade ${String(body['trade_no'])} is ${String(body['trade_status'])}` };
      }
    }
    if (body.sub_code === 'ACQ.TRADE_NOT_EXIST') {
      // A request of this attempt may still be on its way (the SDK's timeout, a slow network):
      // absent is definitive only once none can arrive any more.
      if (this.clock.now().getTime() - query.attemptedAt.getTime() < this.settleMs)
        return { status: 'unknown', reason: 'no trade yet; a request of this attempt may still be on its way' };
      return { status: 'not_found' };
    }
    if (classifyDebitAnswer(body.code, body.sub_code).kind === 'ask') return { status: 'unknown', reason: `Alipay answered ${body.code} ${body.sub_code ?? ''}` };
    throw new Error(`Alipay refused alipay.trade.query for ${query.idempotencyKey}: ${body.code} ${body.sub_code ?? ''} ${body.sub_msg ?? ''}`);
  }

  /** Agreement debits never wait for the customer's confirmation: the trade's status is the answer. */
  cancel(query: StatusQuery): Promise<ChargeStatus> {
    return this.status(query);
  }

  async captures(from: Date, to: Date): Promise<ProviderCapture[]> {
    const out: ProviderCapture[] = [];
    const now = this.clock.now();
    const dates: string[] = [];
    for (let d = beijingDate(from); d <= beijingDate(new Date(to.getTime() - 1)); d = beijingDate(new Date(Date.parse(`${d}T12:00:00+08:00`) + 86_400_000))) dates.push(d);
    for (const date of dates) {
      // A day whose bill is not published yet (today, or yesterday before `listingLag.readyAt`)
      // is left to a later reconciliation of its own day.
      if (listingReadyAt(date, this.listingLag) > now) continue;
      const answer = await this.call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: date });
      if (!answer.ok) throw new Error(`Alipay did not answer the bill query for ${date}: ${answer.reason}`);
      const body = answer.body;
      if (body.code !== '10000' || typeof body['bill_download_url'] !== 'string') {
        throw new ListingNotReady('alipay', date, `${body.code} ${body.sub_code ?? ''} ${body.sub_msg ?? ''}`.trim());
      }
      const res = await fetch(body['bill_download_url']);
      if (!res.ok) throw new Error(`downloading Alipay's bill for ${date} failed: HTTP ${res.status}`);
      for (const row of parseTradeBill(Buffer.from(await res.arrayBuffer()))) {
        if (row.kind !== '交易' || row.completedAt < from || row.completedAt >= to) continue;
        const attemptId = attemptIdOf(row.outTradeNo) ?? (row.note || undefined);
        if (!attemptId) continue;
        out.push({ provider: 'alipay', idempotencyKey: attemptId, gatewayReference: row.tradeNo, amount: row.amount, currency: 'CNY', capturedAt: row.completedAt.toISOString() });
      }
    }
    return out;
  }

  async release(input: { token: string }): Promise<void> {
    const answer = await this.call('alipay.user.agreement.unsign', { agreement_no: input.token });
    if (!answer.ok) throw new Error(`Alipay did not answer the unsign: ${answer.reason}`);
    // Already ended (by the customer in the Alipay app, or an earlier unsign): the authorisation is gone.
    if (answer.body.code === '10000' || answer.body.sub_code === 'USER_AGREEMENT_NOT_EXIST') return;
    throw new Error(`Alipay refused to unsign ${input.token}: ${answer.body.code} ${answer.body.sub_code ?? ''} ${answer.body.sub_msg ?? ''}`);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private assertAlipay(methodType: PaymentMethodType): void {
    if (methodType !== 'alipay') throw new Error(`the Alipay gateway serves alipay, not ${methodType}`);
  }

  private returnUrl(path: string | undefined, setupId: string): string | undefined {
    if (!this.options.returnOrigin) return undefined;
    const url = new URL(path ?? '/methods', this.options.returnOrigin);
    url.searchParams.set('setup_intent', setupId);
    url.searchParams.set('redirect_status', 'returned');
    return url.toString();
  }

  /**
   * One OpenAPI call, its answer's signature verified by the SDK. `ok: false` when nothing
   * trustworthy came back (no answer, HTTP error, a body that is not Alipay's or whose
   * signature fails): Alipay may have acted.
   */
  private async call(method: string, bizContent: Record<string, unknown>, extra: Record<string, string> = {}): Promise<Answer> {
    try {
      const body = await this.sdk.exec(method, { bizContent, timestamp: beijingTime(new Date()), ...extra }, { validateSign: true });
      return { ok: true, body };
    } catch (error) {
      if (error instanceof AlipayRequestError) return { ok: false, reason: error.message.slice(0, 300) };
      throw error;
    }
  }
}
