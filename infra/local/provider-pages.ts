/**
 * Local only (never deployed): the simulated provider's own pages, standing in for a card
 * issuer's or a wallet's. `GET /local/provider/setup/{setupId}` is the sign page a binding
 * redirects to: the customer picks a test card or account and authorises (or cancels), and is
 * sent back to the portal (`returnUrl`, else `/methods`) with `setup_intent` and
 * `redirect_status`, where the portal completes the binding through the API.
 * `GET /local/provider/confirm/{key}` is the 3-D Secure / wallet password page a customer
 * payment that wants confirming redirects to: Approve or Fail, then back to the portal
 * (`/?payment_intent=…&redirect_status=…`), which sends the payment again with the same
 * Idempotency-Key to learn the result. Pages are plain HTML forms, no script, everything
 * escaped.
 */
import { type Context, Hono } from 'hono';
import type { PaymentMethodType } from '../../shared/domain/customer.ts';
import { type CurrencyCode, minorUnits } from '../../shared/domain/money.ts';
import type { LocalStack } from './stack.ts';

interface TestChoice {
  token: string;
  /** The display the provider reports; the simulated provider's own when absent (Stripe's test cards). */
  display?: string;
  label: string;
}

/** What each method type offers on the stand-in sign page. */
export const TEST_CHOICES: Record<PaymentMethodType, TestChoice[]> = {
  bank_card: [
    { token: 'pm_card_visa', label: 'Visa •••• 4242 — succeeds' },
    { token: 'pm_card_chargeDeclinedInsufficientFunds', label: 'Visa •••• 9995 — declines: insufficient funds' },
    { token: 'pm_card_authenticationRequired', label: 'Visa •••• 3184 — requires 3-D Secure' },
    { token: 'tok_expired', display: '招商银行 ****1234', label: '招商银行 •••• 1234 — declines: card expired' },
  ],
  alipay: [
    { token: 'tok_ok', display: 'alipay 138****5678', label: 'alipay 138****5678 — pays at once (tok_ok)' },
    { token: 'tok_async', display: 'alipay 138****5678', label: 'alipay 138****5678 — confirms later (tok_async)' },
    { token: 'tok_insufficient_funds', display: 'alipay 139****0001', label: 'alipay 139****0001 — declines: insufficient funds' },
  ],
  wechat_pay: [
    { token: 'tok_ok', display: '微信支付 138****5678', label: '微信支付 138****5678 — pays at once (tok_ok)' },
    { token: 'tok_async', display: '微信支付 138****5678', label: '微信支付 138****5678 — confirms later (tok_async)' },
    { token: 'tok_insufficient_funds', display: '微信支付 139****0001', label: '微信支付 139****0001 — declines: insufficient funds' },
  ],
};

const TYPE_NAMES: Record<PaymentMethodType, string> = { bank_card: 'Bank card · 银行卡', alipay: 'Alipay · 支付宝', wechat_pay: 'WeChat Pay · 微信支付' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#eef1f5;color:#1d2430}
main{max-width:420px;margin:24px auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 2px 12px #0002}
.brand{font-size:13px;letter-spacing:.08em;text-transform:uppercase;color:#5b6472}
.note{font-size:13px;background:#fff7d6;border-radius:8px;padding:8px 12px}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px}dt{color:#5b6472}dd{margin:0}
fieldset{border:0;padding:0;margin:16px 0}label{display:block;padding:10px;border:1px solid #d5dae1;border-radius:8px;margin:6px 0}
.buttons{display:flex;gap:8px}button{flex:1;font:inherit;padding:12px;border-radius:8px;border:1px solid #1d2430;background:#fff}
button[value=authorise],button[value=approve]{background:#1d2430;color:#fff}`;

/** A whole page: no script; styles inline (the only thing the page's policy allows). */
function page(c: Context, title: string, body: string, status: 200 | 400 | 404 | 409 = 200): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main><p class="brand">Simulated provider · 模拟支付渠道</p><h1>${escapeHtml(title)}</h1>${body}<p class="note">A local stand-in for the provider's own page: nothing here is a real card or account.</p></main></body></html>`;
  return c.html(html, status, {
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
  });
}

/** `path` (a path of the portal, validated when the setup started) with these query parameters added. */
function backTo(path: string, params: Record<string, string>): string {
  const url = new URL(path, 'http://portal.invalid');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.pathname + url.search;
}

function formatAmount(amount: number, currency: string): string {
  const digits = minorUnits(currency as CurrencyCode);
  return `${currency} ${(amount / 10 ** digits).toFixed(digits)}`;
}

export function providerPages(stack: LocalStack) {
  const app = new Hono();

  app.get('/setup/:setupId', async (c) => {
    const setupId = c.req.param('setupId');
    const setup = stack.gateway.setup(setupId);
    if (!setup) return page(c, 'Unknown authorisation', `<p>No authorisation ${escapeHtml(setupId)} is waiting here.</p>`, 404);
    if (setup.result) return page(c, 'Already answered', '<p>This authorisation has been answered already. Go back to the shop.</p>', 409);
    const customer = await stack.deps.customers.get(setup.customerId);
    const choices = TEST_CHOICES[setup.methodType]
      .map((choice, i) => `<label><input type="radio" name="token" value="${escapeHtml(choice.token)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(choice.label)}</label>`)
      .join('');
    return page(
      c,
      'Authorise repayflow to debit you',
      `<p>repayflow asks to charge this method for your installments (off-session, until you remove it).</p>
<dl><dt>Customer</dt><dd id="customer">${escapeHtml(customer?.name ?? setup.customerId)} (${escapeHtml(setup.customerId)})</dd><dt>Method</dt><dd id="method-type">${escapeHtml(TYPE_NAMES[setup.methodType])}</dd></dl>
<form method="post" action="/local/provider/setup/${encodeURIComponent(setupId)}"><fieldset><legend>Choose a test card or account</legend>${choices}</fieldset>
<div class="buttons"><button type="submit" name="action" value="cancel">Cancel</button><button type="submit" name="action" value="authorise" id="authorise">Authorise</button></div></form>`,
    );
  });

  app.post('/setup/:setupId', async (c) => {
    const setupId = c.req.param('setupId');
    const setup = stack.gateway.setup(setupId);
    if (!setup) return page(c, 'Unknown authorisation', `<p>No authorisation ${escapeHtml(setupId)} is waiting here.</p>`, 404);
    const form = await c.req.parseBody();
    const action = form.action;
    const choice = TEST_CHOICES[setup.methodType].find((x) => x.token === form.token);
    if (action !== 'cancel' && (action !== 'authorise' || !choice))
      return page(c, 'Choose an option', '<p>Pick one of the offered cards or accounts, then Authorise or Cancel.</p>', 400);
    const answered = stack.gateway.completeSetup(
      setupId,
      action === 'authorise' && choice ? { token: choice.token, ...(choice.display ? { display: choice.display } : {}) } : { refused: true },
    );
    if (!answered) return page(c, 'Already answered', '<p>This authorisation has been answered already. Go back to the shop.</p>', 409);
    return c.redirect(backTo(setup.returnUrl ?? '/methods', { setup_intent: setupId, redirect_status: action === 'authorise' ? 'succeeded' : 'failed' }), 303);
  });

  app.get('/confirm/:key', (c) => {
    const key = c.req.param('key');
    const charge = stack.gateway.awaitingConfirmation(key);
    if (!charge) return page(c, 'Nothing to confirm', '<p>No payment is waiting for your confirmation here (it was answered, or abandoned). Go back to the shop.</p>', 404);
    return page(
      c,
      'Confirm your payment',
      `<p>Your bank asks you to confirm this payment (3-D Secure / wallet password).</p>
<dl><dt>Merchant</dt><dd>repayflow</dd><dt>Amount</dt><dd id="amount">${escapeHtml(formatAmount(charge.amount, charge.currency))}</dd><dt>Order</dt><dd>${escapeHtml(charge.planId)}</dd></dl>
<form method="post" action="/local/provider/confirm/${encodeURIComponent(key)}">
<div class="buttons"><button type="submit" name="action" value="fail" id="fail">Fail</button><button type="submit" name="action" value="approve" id="approve">Approve</button></div></form>`,
    );
  });

  app.post('/confirm/:key', async (c) => {
    const key = c.req.param('key');
    const form = await c.req.parseBody();
    if (form.action !== 'approve' && form.action !== 'fail') return page(c, 'Choose an option', '<p>Approve or Fail the payment.</p>', 400);
    if (!stack.gateway.confirmAction(key, form.action === 'approve')) {
      return page(c, 'Nothing to confirm', '<p>No payment is waiting for your confirmation here (it was answered, or abandoned). Go back to the shop.</p>', 404);
    }
    return c.redirect(backTo('/', { payment_intent: key, redirect_status: form.action === 'approve' ? 'succeeded' : 'failed' }), 303);
  });

  return app;
}
