/**
 * Client-side DOM helpers of the page. Like every function under page/, these run in the
 * browser: page/embed.ts inlines their source, so they must not use imports or module-level values.
 */

type Attrs = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | number | null | undefined | false;

/** Sets attributes; null, undefined and false are left out, true is an empty attribute. */
export function setAttrs(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const k of Object.keys(attrs)) {
    const v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
}

/** Appends children, skipping empty ones. */
export function appendAll(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/** Creates an HTML element: `h('div', {class: 'x'}, 'text', child)`. */
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  appendAll(el, children);
  return el;
}

/** Creates an SVG element. */
export function svgEl(tag: string, attrs?: Attrs | null, ...children: Child[]): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  setAttrs(el, attrs);
  appendAll(el, children);
  return el;
}

/** The element with this id (the page's skeleton always has it). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

/** A clickable blob name: selects that blob. */
export function blobLink(name: string): HTMLElement {
  return h('a', { href: '#' + encodeURIComponent(name), class: 'blob-link', 'data-blob': name }, name);
}
