/**
 * Search by layer name (client side): matches as you type, best first (exact, then name
 * starting with the query, then containing it); Enter or a click selects the match and pans the
 * graph to it; `/` focuses the box. Matching nodes are highlighted in the graph meanwhile.
 */
import type { App } from './app.js';
import { selectBlob } from './app.js';
import { byId, h } from './dom.js';

/** Names matching the query, best first. */
export function searchNames(names: string[], query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const rank = (name: string) => {
    const n = name.toLowerCase();
    const short = n.slice(n.lastIndexOf('.') + 1);
    // A name counts as exact when it matches whole or after a scope ('4e.3x3' finds 'goog.inception_4e.3x3').
    if (n === q || n.endsWith('.' + q)) return 0;
    if (short.startsWith(q) || n.startsWith(q) || n.includes('.' + q)) return 1;
    return n.includes(q) ? 2 : 3;
  };
  return names
    .map((name, i) => ({ name, i, r: rank(name) }))
    .filter((m) => m.r < 3)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((m) => m.name);
}

/** Wires the search box and its result list. */
export function initSearch(app: App): void {
  const input = byId<HTMLInputElement>('search');
  const list = byId('search-results');
  const names = app.model.nodes.map((n) => n.name);
  let matches: string[] = [];
  let active = 0;
  const highlight = () => {
    const set = new Set(matches);
    for (const g of Array.from(byId('viewport').querySelectorAll<SVGGElement>('g.node')))
      g.classList.toggle('match', set.has(g.dataset.name!));
  };
  const show = () => {
    list.replaceChildren(
      ...matches.slice(0, 12).map((name, i) => {
        const item = h(
          'li',
          { class: i === active ? 'active' : null, 'data-name': name, role: 'option' },
          name,
          h('span', { class: 'muted' }, ' ' + app.byName.get(name)!.type),
        );
        item.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(name);
        });
        return item;
      }),
    );
    if (matches.length > 12) list.append(h('li', { class: 'more muted' }, `… ${matches.length - 12} more`));
    list.hidden = matches.length === 0 && !input.value.trim();
    if (!matches.length && input.value.trim()) list.replaceChildren(h('li', { class: 'muted' }, 'no layer matches'));
  };
  const choose = (name: string) => {
    selectBlob(app, name, true);
    input.value = '';
    matches = [];
    highlight();
    input.blur();
    list.hidden = true;
  };
  input.addEventListener('input', () => {
    matches = searchNames(names, input.value);
    active = 0;
    show();
    highlight();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const count = Math.min(12, matches.length);
      if (count) active = (active + (e.key === 'ArrowDown' ? 1 : count - 1)) % count;
      show();
    } else if (e.key === 'Enter' && matches[active]) {
      choose(matches[active]!);
    } else if (e.key === 'Escape') {
      input.value = '';
      matches = [];
      show();
      highlight();
      input.blur();
    }
  });
  input.addEventListener('blur', () => setTimeout(() => (list.hidden = true), 100));
  input.addEventListener('focus', () => input.value.trim() && show());
  window.addEventListener('keydown', (e) => {
    if (e.key === '/' && document.activeElement !== input) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
}
