/**
 * A history-API router: paths like `/orders/plan_1` (served `index.html` by the local server
 * and by CloudFront's rewrite), same-origin links marked `data-route` change pages without a
 * reload, and each page gets an AbortSignal that ends when the user moves on.
 */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  signal: AbortSignal;
}

export type Page = (ctx: PageContext) => void | Promise<void>;

interface Route {
  pattern: RegExp;
  names: string[];
  page: Page;
}

const routes: Route[] = [];
let fallback: Page = () => undefined;
let controller: AbortController | undefined;
let beforeEach: (path: string) => string | undefined = () => undefined;

export function route(path: string, page: Page): void {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}/?$`,
  );
  routes.push({ pattern, names, page });
}

export function notFound(page: Page): void {
  fallback = page;
}

/** A guard: returns a path to go to instead (sign-in), or undefined to go on. */
export function guard(fn: (path: string) => string | undefined): void {
  beforeEach = fn;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  void render();
}

export async function render(): Promise<void> {
  const redirect = beforeEach(location.pathname);
  if (redirect && redirect !== location.pathname + location.search) {
    history.replaceState(null, '', redirect);
  }
  controller?.abort();
  controller = new AbortController();
  const query = new URLSearchParams(location.search);
  for (const r of routes) {
    const match = r.pattern.exec(location.pathname);
    if (!match) continue;
    const params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
    await r.page({ params, query, signal: controller.signal });
    return;
  }
  await fallback({ params: {}, query, signal: controller.signal });
}

export function startRouter(): void {
  window.addEventListener('popstate', () => void render());
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest('a[data-route]');
    if (!(anchor instanceof HTMLAnchorElement) || anchor.origin !== location.origin) return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search);
  });
  void render();
}
