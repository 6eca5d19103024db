/** Small pieces every page uses: errors, badges, progress, sheets, toasts, form fields. */
import { ApiError } from './api.ts';
import { type Child, h, replace } from './dom.ts';
import { declineText, label, locale, refusalText, sentence, t } from './i18n.ts';
import { icon } from './icons.ts';

/**
 * Why something was refused, as a clause in the reader's language (it also goes inside other
 * sentences: "Deferral refused: …"). Never the API's English text in Chinese.
 */
export function refusalReason(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network');
    if (err.status >= 500) return t('error.server');
    if (err.code === 'REPAYMENT.DECLINED') {
      // "the payment was declined: insufficient_funds" → the decline in the reader's words.
      const decline = /:\s*([a-z_]+)$/.exec(err.problem.detail ?? '')?.[1];
      return t('repay.declined', { reason: declineText(decline ?? '') });
    }
    if (err.status === 401) return t('error.signedOut');
    return refusalText(err.code, err.problem.detail);
  }
  const message = err instanceof Error ? err.message : String(err);
  // The portal's own messages are already in the reader's words; anything else (a library's
  // English) is not shown to a Chinese reader.
  return locale() === 'zh-CN' && !/[\u3400-\u9fff]/.test(message) ? t('error.refused') : message;
}

/** What went wrong, as a sentence in the reader's language: never a blank screen. */
export function errorMessage(err: unknown): string {
  return sentence(refusalReason(err));
}

export function errorBox(err: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'alert alert--error', role: 'alert' },
    icon('error'),
    h('p', null, errorMessage(err)),
    retry ? h('button', { type: 'button', class: 'btn btn--small', onclick: retry }, t('common.retry')) : null,
  );
}

/** An inline slot for a form's errors: announced as they appear (aria-live). */
export function errorSlot(): { el: HTMLElement; show(err: unknown): void; clear(): void } {
  const el = h('div', { class: 'form-error', 'aria-live': 'assertive' });
  return {
    el,
    show: (err) => replace(el, h('p', { class: 'alert alert--error', role: 'alert' }, errorMessage(err))),
    clear: () => replace(el),
  };
}

export function loading(): HTMLElement {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('common.loading'));
}

export function badge(status: string, text = label('status', status)): HTMLElement {
  return h('span', { class: `badge badge--${status}` }, text);
}

export function progress(done: number, total: number, text: string): HTMLElement {
  const pct = total === 0 ? 0 : Math.round((done / total) * 100);
  return h(
    'div',
    { class: 'progress' },
    h(
      'div',
      { class: 'progress__bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done, 'aria-label': text },
      h('span', { style: `width:${pct}%` }),
    ),
    h('span', { class: 'progress__text' }, text),
  );
}

export function pageHeader(title: string, back?: { href: string }): HTMLElement {
  return h(
    'div',
    { class: 'page-header' },
    back ? h('a', { href: back.href, 'data-route': true, class: 'back', 'aria-label': t('common.back') }, icon('back', 24)) : null,
    h('h1', { id: 'page-title' }, title),
  );
}

/** A labelled control; `prefix` (a currency symbol) sits inside the field, before what is typed. */
export function field(text: string, control: HTMLElement, hint?: string, prefix?: string): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintEl = hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  const input = prefix ? h('div', { class: 'affix' }, h('span', { class: 'affix__prefix', 'aria-hidden': 'true' }, prefix), control) : control;
  return h('div', { class: 'field' }, h('label', { for: id }, text), input, hintEl);
}

export function definition(items: Array<[string, Child]>): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    items.map(([term, value]) => h('div', null, h('dt', null, term), h('dd', null, value))),
  );
}

/** A polite announcement that also shows briefly on screen. */
export function toast(message: string): void {
  const region = document.getElementById('toast');
  if (!region) return;
  replace(region, h('p', { class: 'toast__msg' }, message));
  region.classList.add('toast--show');
  window.clearTimeout(Number(region.dataset.timer));
  region.dataset.timer = String(window.setTimeout(() => region.classList.remove('toast--show'), 4000));
}

/**
 * A modal sheet (a bottom sheet on phones, a dialog on wider screens) on the native
 * `<dialog>`: focus moves in and back, Escape closes it.
 */
export function sheet(title: string, build: (close: () => void) => Child): { close(): void } {
  const opener = document.activeElement as HTMLElement | null;
  const titleId = `sheet-${Math.random().toString(36).slice(2, 9)}`;
  const dialog = h('dialog', { class: 'sheet', 'aria-labelledby': titleId });
  const close = () => {
    dialog.close();
  };
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) close();
  });
  replace(
    dialog,
    h(
      'div',
      { class: 'sheet__body' },
      h(
        'div',
        { class: 'sheet__head' },
        h('h2', { id: titleId }, title),
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': t('common.close'), onclick: close }, icon('close', 24)),
      ),
      build(close),
    ),
  );
  document.body.appendChild(dialog);
  dialog.showModal();
  return { close };
}

/** Disables a button while `work` runs and shows `busy` on it. */
export async function busy<T>(button: HTMLButtonElement, busyText: string, work: () => Promise<T>): Promise<T> {
  const text = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyText;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = text;
  }
}
