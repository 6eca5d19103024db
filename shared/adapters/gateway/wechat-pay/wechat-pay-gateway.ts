/**
 * `wechat_pay` through WeChat Pay papay (委托代扣) APIv3, with the `wechatpay-axios-plugin` SDK
 * (it signs every request `WECHATPAY2-SHA256-RSA2048` with the merchant key and verifies every
 * answer's `Wechatpay-Signature` with the platform public key):
 *
 * - setup: an H5 pre-sign gives the signing page's URL; the contract's query by
 *   (plan_id, out_contract_code) tells whether the customer signed; the method's token is the
 *   contract_id and its display the account WeChat reports.
 * - pre-debit notice (预扣费通知) before every debit: `preDebitNotice` announces the amount and
 *   opens WeChat's window (the notice day and the next are the waiting period, then
 *   `deductDays` days).
 * - charge: 受理扣款 under `out_trade_no` (see `outTradeNo`), then the order query tells the
 *   result; a customer paying now gets a Native order's code_url instead (see `nativeOrder`); status: the order query by out_trade_no, also after a timeout (WeChat's advice).
 * - release: contract termination; captures: the day's trade bill, checked against its hash.
 */
import { createHash } from 'node:crypto';
import { Formatter, Wechatpay } from 'wechatpay-axios-plugin';
import type { PaymentMethodType } from '../../../domain/customer.ts';
import { type ListingLag, listingReadyAt } from '../../../domain/reconciliation.ts';
import {
  type ChargeRequest,
  type ChargeResult,
  type ChargeStatus,
  ListingNotReady,
  type PreDebitNoticeRequest,
  type PreDebitWindow,
  type ProviderCapture,
  type ProviderGateway,
  type SetupRequest,
  type SetupStarted,
  type SetupStatus,
  type StatusQuery,
  type TokenCheck,
  type TokenInput,
} from '../../../ports/payment-gateway.port.ts';
import { classifyWechatPayError, declineOfFailedOrder } from './wechat-pay-errors.ts';

export interface WechatPayGatewayOptions {
  mchId: string;
  appId: string;
  /** The merchant certificate's serial number and private key (PEM). */
  serial: string;
  privateKey: string;
  /** The platform public key (PEM) and its id (`PUB_KEY_ID_…`). */
  platformPublicKey: string;
  platformSerial: string;
  planId: string;
  /** Our `/v1/webhooks/wechat-pay`. */
  notifyUrl: string;
  /** WeChat Pay's API (default) or a fake. */
  base?: string;
  clock?: { now(): Date };
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** How long after an attempt an order WeChat does not know is trusted to be absent (default 5 min). */
  settleMs?: number;
  /** The days a pre-debit notice leaves for the debit after its waiting period (default 7, WeChat's own default). */
  deductDays?: number;
  /**
   * When the trade bill of a Beijing day is published, the next day (default `10:00`): "微信支付在
   * 每日10点后生成昨日交易账单文件" (https://pay.weixin.qq.com/docs/merchant/apis/in-app-payment/get-trade-bill.html,
   * https://pay.weixin.qq.com/docs/merchant/products/bill-download/concept.html "商户需在次日10点后 … 下载账单").
   */
  billReadyAt?: string;
}

const OUT_TRADE_NO_ALPHABET = /^[0-9A-Za-z_\-*]+$/;

/**
 * The attempt id as an out_trade_no (at most 32 of `0-9A-Za-z_-*`): the id with `:` written as
 * `*` when that fits (`plan_0123456789abcdef:3:1` → `plan_0123456789abcdef*3*1`, read back by
 * `attemptIdOf`); otherwise `H` + 31 base64url characters of its SHA-256. The attempt id also
 * travels in `attach`, which the order query, the notification and the trade bill give back.
 */
export function outTradeNo(attemptId: string): string {
  const readable = attemptId.replaceAll(':', '*');
  if (readable.length <= 32 && readable.length >= 6 && !attemptId.includes('*') && OUT_TRADE_NO_ALPHABET.test(readable)) return readable;
  return `H${createHash('sha256').update(attemptId).digest('base64url').slice(0, 31)}`;
}

/** The attempt id of a readable out_trade_no; undefined for a hashed one (read `attach`). */
export function attemptIdOf(tradeNo: string): string | undefined {
  return tradeNo.startsWith('H') && !tradeNo.includes('*') ? undefined : tradeNo.replaceAll('*', ':');
}

/** The contract code of a setup: the customer's and the setup's hashes (32 characters, a-z0-9). */
export function outContractCode(customerId: string, setupKey: string): string {
  return `c${customerTag(customerId)}${createHash('sha256').update(setupKey).digest('hex').slice(0, 19)}`;
}

const customerTag = (customerId: string) => createHash('sha256').update(customerId).digest('hex').slice(0, 12);

/** Beijing date of an instant: WeChat Pay's days (windows, bills) are Beijing's. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** `12.34` yuan → 1234 fen, exactly (no binary floats). */
export function fenOf(yuan: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) throw new Error(`not an amount in yuan: ${yuan}`);
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '0').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

interface HttpFailure {
  status?: number;
  code?: string;
  message: string;
  /** The SDK refused the answer (bad or missing platform signature). */
  unverified: boolean;
}

function failureOf(error: unknown): HttpFailure {
  const e = error as { response?: { status?: number; data?: { code?: string; message?: string } }; code?: string; message?: string };
  const unverified = typeof e.code === 'string' && e.code.startsWith('EV3_');
  return {
    ...(e.response?.status === undefined || unverified ? {} : { status: e.response.status }),
    ...(e.response?.data?.code ? { code: e.response.data.code } : {}),
    message: e.response?.data?.message ?? e.message ?? String(error),
    unverified,
  };
}

interface Order {
  out_trade_no: string;
  transaction_id?: string;
  trade_state: string;
  trade_state_desc?: string;
  success_time?: string;
  attach?: string;
  amount?: { total?: number; payer_total?: number; currency?: string };
}

interface Contract {
  contract_id: string;
  out_contract_code: string;
  contract_state: string;
  contract_display_account?: string;
}

type Api = ReturnType<typeof makeClient>;

function makeClient(options: WechatPayGatewayOptions) {
  return new Wechatpay({
    mchid: options.mchId,
    serial: options.serial,
    privateKey: options.privateKey,
    certs: { [options.platformSerial]: options.platformPublicKey },
    baseURL: `${(options.base ?? 'https://api.mch.weixin.qq.com').replace(/\/+$/, '')}/`,
    timeout: options.timeoutMs ?? 15_000,
  } as ConstructorParameters<typeof Wechatpay>[0]) as unknown as Record<string, any>;
}

export class WechatPayGateway implements ProviderGateway {
  readonly provider = 'wechat_pay' as const;
  readonly methodTypes: readonly PaymentMethodType[] = ['wechat_pay'];
  private readonly api: Api;
  private readonly clock: { now(): Date };
  private readonly settleMs: number;
  private readonly deductDays: number;
  readonly listingLag: ListingLag;

  constructor(private readonly options: WechatPayGatewayOptions) {
    this.api = makeClient(options);
    this.clock = options.clock ?? { now: () => new Date() };
    this.settleMs = options.settleMs ?? 5 * 60_000;
    this.deductDays = options.deductDays ?? 7;
    this.listingLag = { readyAt: options.billReadyAt ?? '10:00', timeZone: 'Asia/Shanghai' };
  }

  private get v3() {
    return this.api['v3'];
  }

  async startSetup(request: SetupRequest): Promise<SetupStarted> {
    this.assertWallet(request.methodType);
    const code = outContractCode(request.customerId, request.setupKey);
    const { data } = await this.v3.papay.sign.contracts['pre-entrust-sign'].h5.post({
      appid: this.options.appId,
      plan_id: Number(this.options.planId),
      out_contract_code: code,
      // Shown on WeChat's page and returned in the signing notification, which thus names the customer.
      contract_display_account: request.customerId.slice(0, 64),
      contract_notify_url: this.options.notifyUrl,
    });
    const url = (data as { redirect_url?: string }).redirect_url;
    if (!url) throw new Error('WeChat Pay answered the pre-sign without a redirect_url');
    return { setupId: code, next: { type: 'redirect', url } };
  }

  async setupStatus(setupId: string): Promise<SetupStatus> {
    let contract: Contract;
    try {
      ({ data: contract } = await this.v3.papay.sign.contracts['plan-id']['{plan_id}']['out-contract-code']['{out_contract_code}'].get({
        params: { appid: this.options.appId },
        plan_id: this.options.planId,
        out_contract_code: setupId,
      }));
    } catch (error) {
      const f = failureOf(error);
      // Not signed yet: the customer has not finished on WeChat's page.
      if (f.code === 'CONTRACT_NOT_EXIST' || f.status === 404) return { status: 'pending' };
      throw new Error(`WeChat Pay contract query failed: ${f.code ?? f.status ?? ''} ${f.message}`, { cause: error });
    }
    if (contract.contract_state === 'SIGNED') return { status: 'succeeded', token: contract.contract_id, display: display(contract) };
    if (contract.contract_state === 'TERMINATED') return { status: 'failed', code: 'canceled' };
    return { status: 'pending' };
  }

  async verifyToken(input: TokenInput): Promise<TokenCheck> {
    if (input.methodType !== 'wechat_pay') return { ok: false, code: 'wrong_type', detail: `WeChat Pay serves wechat_pay here, not ${input.methodType}` };
    let contract: Contract;
    try {
      ({ data: contract } = await this.v3.papay.sign.contracts['{contract_id}'].get({ params: { appid: this.options.appId }, contract_id: input.token }));
    } catch (error) {
      const f = failureOf(error);
      if (f.code === 'CONTRACT_NOT_EXIST' || f.status === 404 || f.code === 'PARAM_ERROR')
        return { ok: false, code: 'unknown_token', detail: 'WeChat Pay does not know this contract' };
      throw new Error(`WeChat Pay contract query failed: ${f.code ?? f.status ?? ''} ${f.message}`, { cause: error });
    }
    // Only a contract signed through this customer's own setup can be theirs.
    if (contract.contract_state !== 'SIGNED' || !contract.out_contract_code.startsWith(`c${customerTag(input.customerId)}`))
      return { ok: false, code: 'unknown_token', detail: 'no signed contract of this customer has this id' };
    return { ok: true, token: contract.contract_id, display: display(contract) };
  }

  async preDebitNotice(request: PreDebitNoticeRequest): Promise<PreDebitWindow> {
    if (request.currency !== 'CNY') throw new Error(`WeChat Pay papay debits CNY only, not ${request.currency}`);
    const today = beijingDay(this.clock.now());
    try {
      await this.v3.papay.contracts['{contract_id}'].notify.post(
        {
          mchid: this.options.mchId,
          appid: this.options.appId,
          deduct_duration: { count: this.deductDays, unit: 'DAY' },
          estimated_amount: { amount: request.amount, currency: 'CNY' },
        },
        { contract_id: request.token },
      );
    } catch (error) {
      const f = failureOf(error);
      const kind = f.unverified ? undefined : classifyWechatPayError(f.status, f.code);
      // A contract that ended cannot be announced to; the debit will say so as its decline.
      if (kind?.kind === 'declined' && kind.code === 'method_revoked') return { refused: kind.code };
      throw new Error(`WeChat Pay refused the pre-debit notice: ${f.code ?? f.status ?? ''} ${f.message}`, { cause: error });
    }
    // The notice day and the next are WeChat's waiting period; then `deductDays` days to debit.
    return { from: addDays(today, 2), until: addDays(today, 1 + this.deductDays), timeZone: 'Asia/Shanghai' };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.assertWallet(request.methodType);
    if (request.currency !== 'CNY') return { outcome: 'declined', code: 'invalid_method' };
    if (request.mode === 'customer_present') return this.nativeOrder(request);
    const tradeNo = outTradeNo(request.idempotencyKey);
    try {
      await this.v3.papay.pay.transactions.apply.post({
        appid: this.options.appId,
        out_trade_no: tradeNo,
        description: `repayflow ${request.planId}`.slice(0, 127),
        attach: request.idempotencyKey.slice(0, 128),
        transaction_notify_url: this.options.notifyUrl,
        contract_id: request.token,
        amount: { total: request.amount, currency: 'CNY' },
      });
    } catch (error) {
      const f = failureOf(error);
      if (f.unverified) throw new Error(`WeChat Pay's answer failed verification: ${f.message}`, { cause: error });
      const kind = classifyWechatPayError(f.status, f.code);
      if (kind.kind === 'declined') return { outcome: 'declined', code: kind.code };
      if (kind.kind === 'unknown') return { outcome: 'unknown', reason: `WeChat Pay: ${f.code ?? f.status ?? 'no answer'} ${f.message}` };
      throw new Error(`WeChat Pay refused the deduction: ${f.code ?? f.status} ${f.message}`, { cause: error });
    }
    // Accepted: the deduction runs at WeChat; the order query tells how it ended, or that it still runs.
    const status = await this.queryOrder(tradeNo);
    if (status === undefined) return { outcome: 'unknown', reason: 'accepted, but the order is not visible yet' };
    switch (status.status) {
      case 'captured':
        return { outcome: 'captured', gatewayReference: status.gatewayReference };
      case 'declined':
        return { outcome: 'declined', code: status.code };
      case 'unknown':
        return { outcome: 'unknown', reason: status.reason };
      default:
        return { outcome: 'pending' };
    }
  }

  async status(query: StatusQuery): Promise<ChargeStatus> {
    const found = await this.queryOrder(outTradeNo(query.idempotencyKey));
    if (found) return found;
    // A request of this attempt may still be on its way (a timeout): absent only after the settle time.
    if (this.clock.now().getTime() - query.attemptedAt.getTime() < this.settleMs)
      return { status: 'unknown', reason: 'no order yet; a request of this attempt may still be on its way' };
    return { status: 'not_found' };
  }

  /**
   * "Pay now" with WeChat Pay: a Native order whose code_url the customer scans and confirms with
   * their own password (Native下单, https://pay.weixin.qq.com/doc/v3/merchant/4012525095), settled
   * like any payment from the order query once its notification arrives. Not a papay deduction:
   * papay takes a debit only inside the window a 预扣费通知 opened, which begins the second day
   * after the notice (https://pay.weixin.qq.com/wiki/doc/api/wxpay_v2/papay/chapter3_10.shtml), so a
   * repayment the customer makes now would wait days; installment apps in China let the customer
   * pay such a 主动还款 through an ordinary WeChat Pay payment they confirm themselves.
   */
  private async nativeOrder(request: ChargeRequest): Promise<ChargeResult> {
    const tradeNo = outTradeNo(request.idempotencyKey);
    let codeUrl: string | undefined;
    try {
      const { data } = await this.v3.pay.transactions.native.post({
        appid: this.options.appId,
        mchid: this.options.mchId,
        description: `repayflow ${request.planId}`.slice(0, 127),
        out_trade_no: tradeNo,
        attach: request.idempotencyKey.slice(0, 128),
        notify_url: this.options.notifyUrl,
        amount: { total: request.amount, currency: 'CNY' },
      });
      codeUrl = (data as { code_url?: string }).code_url;
    } catch (error) {
      const f = failureOf(error);
      if (f.unverified) throw new Error(`WeChat Pay's answer failed verification: ${f.message}`, { cause: error });
      // Paid or closed already (a repeated request): the order's own state is the answer.
      if (f.code === 'ORDER_PAID' || f.code === 'ORDER_CLOSED') {
        const found = await this.queryOrder(tradeNo);
        if (found?.status === 'captured') return { outcome: 'captured', gatewayReference: found.gatewayReference };
        if (found?.status === 'declined') return { outcome: 'declined', code: found.code };
      }
      const kind = classifyWechatPayError(f.status, f.code);
      if (kind.kind === 'declined') return { outcome: 'declined', code: kind.code };
      if (kind.kind === 'unknown') return { outcome: 'unknown', reason: `WeChat Pay: ${f.code ?? f.status ?? 'no answer'} ${f.message}` };
      throw new Error(`WeChat Pay refused the Native order: ${f.code ?? f.status} ${f.message}`, { cause: error });
    }
    if (!codeUrl) throw new Error('WeChat Pay answered the Native order without a code_url');
    return { outcome: 'requires_action', next: { type: 'qr_code', payload: codeUrl } };
  }

  /**
   * Papay debits need no customer confirmation: the order's state is the answer. A Native order
   * the customer has not paid is closed first (关闭订单), so it can never be paid later; asked
   * after a refused deduction, no order means none will ever be.
   */
  async cancel(query: StatusQuery): Promise<ChargeStatus> {
    const tradeNo = outTradeNo(query.idempotencyKey);
    const found = await this.queryOrder(tradeNo);
    if (found?.status !== 'pending') return found ?? { status: 'not_found' };
    try {
      await this.v3.pay.transactions['out-trade-no']['{out_trade_no}'].close.post({ mchid: this.options.mchId }, { out_trade_no: tradeNo });
    } catch (error) {
      const f = failureOf(error);
      // Paid just now: the query below says so.
      if (f.code !== 'ORDER_PAID' && f.code !== 'ORDER_CLOSED') throw new Error(`WeChat Pay order close failed: ${f.code ?? f.status ?? ''} ${f.message}`, { cause: error });
    }
    return (await this.queryOrder(tradeNo)) ?? { status: 'not_found' };
  }

  async captures(from: Date, to: Date): Promise<ProviderCapture[]> {
    const out: ProviderCapture[] = [];
    const now = this.clock.now();
    for (let day = beijingDay(from); day <= beijingDay(new Date(to.getTime() - 1)); day = addDays(day, 1)) {
      // A day whose bill is not published yet is left to a later reconciliation of its own day.
      if (listingReadyAt(day, this.listingLag) > now) continue;
      for (const row of await this.tradeBill(day)) {
        const capturedAt = new Date(`${row.time.replace(' ', 'T')}+08:00`);
        if (capturedAt < from || capturedAt >= to) continue;
        out.push({
          provider: 'wechat_pay',
          idempotencyKey: row.attemptId,
          gatewayReference: row.transactionId,
          amount: row.amount,
          currency: row.currency,
          capturedAt: capturedAt.toISOString(),
        });
      }
    }
    return out;
  }

  async release(input: { token: string }): Promise<void> {
    try {
      await this.v3.papay.sign.contracts['{contract_id}'].terminate.post(
        { appid: this.options.appId, contract_termination_remark: 'removed by the customer in repayflow' },
        { contract_id: input.token },
      );
    } catch (error) {
      const f = failureOf(error);
      // Already ended (by the customer in WeChat) or gone: the authorisation has ended either way.
      if (f.code === 'CONTRACT_TERMINATED' || f.code === 'CONTRACT_NOT_EXIST' || f.status === 404) return;
      throw new Error(`WeChat Pay contract termination failed: ${f.code ?? f.status ?? ''} ${f.message}`, { cause: error });
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private assertWallet(methodType: PaymentMethodType): void {
    if (methodType !== 'wechat_pay') throw new Error(`the WeChat Pay gateway serves wechat_pay, not ${methodType}`);
  }

  /** The order under an out_trade_no as a status; undefined when WeChat has none. */
  private async queryOrder(tradeNo: string): Promise<ChargeStatus | undefined> {
    let order: Order;
    try {
      ({ data: order } = await this.v3.pay.transactions['out-trade-no']['{out_trade_no}'].get({ params: { mchid: this.options.mchId }, out_trade_no: tradeNo }));
    } catch (error) {
      const f = failureOf(error);
      if (f.unverified) throw new Error(`WeChat Pay's answer failed verification: ${f.message}`, { cause: error });
      if (f.code === 'ORDER_NOT_EXIST' || f.code === 'ORDERNOTEXIST') return undefined;
      if (f.status === undefined || f.status >= 500 || f.status === 429)
        return { status: 'unknown', reason: `WeChat Pay did not answer: ${f.code ?? f.status ?? ''} ${f.message}` };
      throw new Error(`WeChat Pay order query failed: ${f.code ?? f.status} ${f.message}`, { cause: error });
    }
    switch (order.trade_state) {
      case 'SUCCESS':
      case 'REFUND': // captured first; a refund is its own record
        return { status: 'captured', gatewayReference: order.transaction_id ?? order.out_trade_no };
      case 'PAYERROR':
        return { status: 'declined', code: declineOfFailedOrder(order.trade_state_desc) };
      case 'CLOSED':
      case 'REVOKED':
        return { status: 'declined', code: 'canceled' };
      case 'ACCEPT':
      case 'USERPAYING':
      case 'NOTPAY':
        return { status: 'pending' };
      default:
        return { status: 'unknown', reason: `order ${order.out_trade_no} is ${order.trade_state}` };
    }
  }

  /** The day's successful payments from the trade bill, after checking the file against its hash. */
  private async tradeBill(day: string): Promise<Array<{ time: string; transactionId: string; attemptId: string; amount: number; currency: string }>> {
    let bill: { hash_type?: string; hash_value?: string; download_url?: string };
    try {
      ({ data: bill } = await this.v3.bill.tradebill.get({ params: { bill_date: day, bill_type: 'SUCCESS' } }));
    } catch (error) {
      const f = failureOf(error);
      // WeChat answers NO_STATEMENT_EXIST for a day without transactions, STATEMENT_CREATING while
      // the bill is still being made ("账单生成中", published late): the day waits, it is not empty.
      if (f.code === 'NO_STATEMENT_EXIST') return [];
      if (f.code === 'STATEMENT_CREATING') throw new ListingNotReady('wechat_pay', day, `${f.code} ${f.message}`);
      throw error;
    }
    if (!bill.download_url) throw new Error(`WeChat Pay's trade bill of ${day} has no download_url`);
    const link = new URL(bill.download_url);
    const { data } = await this.v3.billdownload.file.get({ params: Object.fromEntries(link.searchParams), responseType: 'arraybuffer' });
    const file = Buffer.from(data as ArrayBuffer);
    const algorithm = (bill.hash_type ?? 'SHA1').toLowerCase().replace('-', '');
    if (bill.hash_value && createHash(algorithm).update(file).digest('hex') !== bill.hash_value.toLowerCase())
      throw new Error(`WeChat Pay's trade bill of ${day} does not match its ${bill.hash_type} hash`);
    const { rows } = Formatter.castCsvBill(file) as { rows: Array<Record<string, string>> };
    return rows
      .filter((r) => r['交易状态'] === 'SUCCESS')
      .map((r) => {
        const tradeNo = r['商户订单号'] ?? '';
        const attemptId = r['商户数据包'] || attemptIdOf(tradeNo);
        if (!attemptId) throw new Error(`trade bill row ${tradeNo} carries no attempt id`);
        return {
          time: r['交易时间'] ?? '',
          transactionId: r['微信订单号'] ?? '',
          attemptId,
          // 订单金额 is what was charged; 应结订单金额 is that less merchant-funded vouchers (免充值券).
          amount: fenOf(r['订单金额'] ?? r['应结订单金额'] ?? ''),
          currency: r['货币种类'] || 'CNY',
        };
      });
  }
}

/** A masked display of the contract WeChat reports (its display account is our customer id, not shown). */
function display(contract: Contract): string {
  return `微信支付 ****${contract.contract_id.slice(-4)}`;
}
