/** Messages sent to the customer: `GET /v1/customers/{id}/notices`, newest first, with paging. */

import { noticeReasonCode } from '../../../shared/domain/customer-text.ts';
import type { Notice } from '../api.ts';
import { client, read } from '../api.ts';
import { h, replace } from '../dom.ts';
import { fmt, label, t } from '../i18n.ts';
import type { PageContext } from '../router.ts';
import { customerId, timeZone } from '../session.ts';
import { main } from '../shell.ts';
import { badge, errorBox, loading, pageHeader } from '../ui.ts';

export async function noticesPage({ signal }: PageContext): Promise<void> {
  const list = h('ul', { class: 'notices', id: 'notices' });
  const more = h('div', { class: 'more' });
  replace(main(), pageHeader(t('notices.title')), list, more);
  const loadPage = async (cursor?: string) => {
    replace(more, loading());
    try {
      const page = await read(client.GET('/v1/customers/{id}/notices', { params: { path: { id: customerId() }, query: { limit: 20, ...(cursor ? { cursor } : {}) } }, signal }));
      if (!cursor && page.items.length === 0) list.append(h('li', { class: 'empty card' }, t('notices.empty')));
      list.append(...page.items.map(noticeItem));
      replace(more, page.cursor ? h('button', { type: 'button', class: 'btn btn--block', onclick: () => void loadPage(page.cursor ?? undefined) }, t('common.loadMore')) : null);
    } catch (err) {
      if (!signal.aborted)
        replace(
          more,
          errorBox(err, () => void loadPage(cursor)),
        );
    }
  };
  await loadPage();
}

function noticeItem(n: Notice): HTMLElement {
  const at = n.sentAt ?? n.sendAt ?? n.createdAt;
  return h(
    'li',
    { class: `notice card notice--${n.kind}`, 'data-kind': n.kind },
    h(
      'div',
      { class: 'notice__head' },
      h('span', { class: `kind kind--${n.kind}` }, label('kind', n.kind)),
      h('span', { class: 'chip' }, label('channel', n.channel)),
      badge(n.status),
      h('time', { class: 'muted small', datetime: at }, fmt.instant(at, timeZone())),
    ),
    h('p', { class: 'notice__body' }, n.body),
    h('p', { class: 'muted small' }, t('notices.to', { to: n.to }), n.reason ? ` · ${t(`notices.reason.${noticeReasonCode(n.reason)}`)}` : ''),
  );
}
