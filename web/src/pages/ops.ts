/**
 * The small ops view (admin role): look up a customer, see their plans and open any of them;
 * locally also the simulated clock, to move time and watch reminders, debits and retries.
 */

import { client, localRoute, read } from '../api.ts';
import { h, replace } from '../dom.ts';
import { fmt, t } from '../i18n.ts';
import { listAccounts } from '../identity.ts';
import type { PageContext } from '../router.ts';
import { navigate } from '../router.ts';
import { session } from '../session.ts';
import { main } from '../shell.ts';
import { busy, definition, errorBox, errorSlot, field, loading, pageHeader } from '../ui.ts';
import { planCard } from './orders.ts';

export async function opsPage({ query, signal }: PageContext): Promise<void> {
  if (!session.identity?.admin) {
    replace(main(), pageHeader(t('ops.title')), h('p', { class: 'alert alert--warning', role: 'alert' }, t('ops.notAdmin')));
    return;
  }
  const selected = query.get('customer')?.trim() ?? '';
  const input = h('input', { name: 'customer', id: 'ops-customer', value: selected, required: true, autocomplete: 'off', spellcheck: 'false' });
  const accounts = h('div', { class: 'chips' });
  const result = h('div', { id: 'ops-result', class: 'stack', 'aria-live': 'polite' });
  const clock = h('section', { class: 'card', 'aria-labelledby': 'clock-title' }, loading());
  replace(
    main(),
    pageHeader(t('ops.title')),
    h('p', null, h('a', { href: '/ops/console', 'data-route': true, class: 'btn btn--primary', id: 'open-console' }, t('ops.console.open'))),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'lookup-title' },
      h('h2', { id: 'lookup-title', class: 'section-title' }, t('ops.lookup')),
      h(
        'form',
        {
          class: 'inline-form',
          role: 'search',
          onsubmit: (e: Event) => {
            e.preventDefault();
            if (input.value.trim()) navigate(`/ops?customer=${encodeURIComponent(input.value.trim())}`);
          },
        },
        field(t('ops.customerId'), input),
        h('button', { type: 'submit', class: 'btn btn--primary' }, t('ops.find')),
      ),
      accounts,
    ),
    result,
    clock,
  );
  void listAccounts().then((list) =>
    replace(
      accounts,
      list.map((a) => h('a', { class: 'chip', href: `/ops?customer=${encodeURIComponent(a.id)}`, 'data-route': true }, `${a.name} · ${a.id}`)),
    ),
  );
  void renderClock(clock);
  if (!selected) return;
  replace(result, loading());
  try {
    const [customer, plans] = await Promise.all([
      read(client.GET('/v1/customers/{id}', { params: { path: { id: selected } }, signal })),
      read(client.GET('/v1/plans', { params: { query: { customerId: selected, limit: 50 } }, signal })),
    ]);
    replace(
      result,
      h(
        'section',
        { class: 'card' },
        h('h2', { class: 'section-title' }, customer.name),
        definition([
          [t('signin.customerId'), customer.id],
          [t('settings.phone'), customer.phone],
          [t('settings.timeZone'), customer.timeZone],
          [t('locale.label'), customer.locale],
        ]),
        h('p', null, h('a', { href: `/?customer=${encodeURIComponent(customer.id)}`, target: '_blank', rel: 'noopener' }, `${t('ops.signInAs')} ↗`)),
      ),
      h('h2', { class: 'section-title' }, t('ops.plans')),
      plans.items.length ? h('ul', { class: 'plan-list' }, plans.items.map(planCard)) : h('p', { class: 'empty card' }, t('orders.empty')),
    );
  } catch (err) {
    if (!signal.aborted) replace(result, errorBox(err));
  }
}

/** The local stack's clock; absent on AWS (the route 404s and the panel hides). */
async function renderClock(panel: HTMLElement): Promise<void> {
  let now: Awaited<ReturnType<typeof localRoute<'GET /local/clock'>>>;
  try {
    now = await localRoute('GET /local/clock');
  } catch {
    panel.remove();
    return;
  }
  const errors = errorSlot();
  const status = h('p', { id: 'clock-now' }, t('ops.clockNow', { now: fmt.instant(now.now, 'UTC'), simulated: now.simulated ? t('ops.simulated') : '' }));
  const until = h('input', { type: 'datetime-local', id: 'run-until', required: true, step: 60, value: now.now.slice(0, 16) });
  const run = h('button', { type: 'submit', class: 'btn' }, t('ops.run'));
  replace(
    panel,
    h('h2', { id: 'clock-title', class: 'section-title' }, t('ops.clock')),
    status,
    h(
      'form',
      {
        class: 'inline-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          errors.clear();
          void busy(run, t('common.loading'), async () => {
            try {
              const r = await localRoute('POST /local/run', {
                until: new Date(`${until.value}Z`).toISOString(),
              });
              replace(status, t('ops.ran', { sweeps: r.sweeps, attempts: r.attemptsProcessed, notices: r.noticesProcessed, now: fmt.instant(r.now, 'UTC') }));
            } catch (err) {
              errors.show(err);
            }
          });
        },
      },
      field(t('ops.runUntil'), until),
      run,
    ),
    errors.el,
  );
}
