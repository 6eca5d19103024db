/**
 * The render layer: `h()` builds real DOM nodes (no virtual DOM, no diffing); a page renders
 * once per navigation and replaces its parts when data arrives. Text always goes in as text
 * nodes, so nothing from the API is ever parsed as HTML.
 */
export type Child = Node | string | number | false | null | undefined | Child[];

type Attrs = Record<string, string | number | boolean | EventListener | null | undefined> & {
  class?: string;
  style?: string;
};

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    // Through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows.
    else if (name === 'style') el.style.cssText = String(value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A same-origin link the router handles without a page load. */
export function link(href: string, attrs: Attrs | null, ...children: Child[]): HTMLAnchorElement {
  return h('a', { ...attrs, href, 'data-route': true }, ...children);
}
