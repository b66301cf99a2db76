/**
 * What the importer writes, before it is text: inputs, layers (with their properties
 * already as .fcn value text), `repeat` folds and comments, in the order of the net. Also
 * the rendering to .fcn text, which the prettier plugin then formats.
 */

/** A property `key: value`, the value as .fcn text (`3`, `[3, 5]`, `gaussian(0.01)`). */
export type Prop = [key: string, value: string];

export interface InputItem {
  kind: 'input';
  name: string;
  props: Prop[];
  label: boolean;
  comments: string[];
}

export interface LayerItem {
  kind: 'layer';
  name: string;
  type: string;
  /** .fcn blob names; for a crop, [cropped, reference]. */
  bottoms: string[];
  props: Prop[];
  sections: Array<{ name: string; props: Prop[] }>;
  comments: string[];
  /** Reads the previous item's blob, so `bottom:` can be left out (set by `markChains`). */
  chained?: boolean;
}

export interface RepeatItem {
  kind: 'repeat';
  variable: string;
  from: number;
  to: number;
  /** The unit, with `{variable}` in its names. */
  items: LayerItem[];
  comments: string[];
}

export interface CommentItem {
  kind: 'comment';
  lines: string[];
}

export type Item = InputItem | LayerItem | RepeatItem | CommentItem;

/** A .fcn value text for a per-axis pair: one number when both axes agree. */
export function pairText([h, w]: [number, number]): string {
  return h === w ? String(h) : `[${h}, ${w}]`;
}

/** A .fcn number literal (.fcn has no `+` exponent sign). */
export function numberText(n: number): string {
  const s = String(n);
  return s.includes('e+') ? s.replace('e+', 'e') : s;
}

/** Marks the layers that read the previous item's blob (a label input is never that item). */
export function markChains(items: Item[]): void {
  let previous: string | undefined;
  for (const item of items) {
    if (item.kind === 'input') {
      if (!item.label) previous = item.name;
    } else if (item.kind === 'layer') {
      item.chained = item.bottoms[0] === previous && (item.bottoms.length === 1 || item.type === 'crop');
      previous = item.name;
    }
  }
}

function body(props: Prop[], sections: LayerItem['sections'] = []): string {
  const parts = [
    ...props.map(([k, v]) => `${k}: ${v}`),
    ...sections.filter((s) => s.props.length).map((s) => `${s.name} { ${body(s.props)} }`),
  ];
  return parts.join('  ');
}

function comments(lines: string[], indent: string): string[] {
  return lines.map((l) => `${indent}# ${l}`);
}

function layerText(item: LayerItem, indent: string): string[] {
  const props: Prop[] = [];
  if (item.type === 'crop') {
    if (!item.chained) props.push(['bottom', item.bottoms[0]!]);
    props.push(['like', item.bottoms[1]!]);
  } else if (!item.chained) {
    props.push(['bottom', item.bottoms.length === 1 ? item.bottoms[0]! : `[${item.bottoms.join(', ')}]`]);
  }
  const text = body([...props, ...item.props], item.sections);
  return [...comments(item.comments, indent), `${indent}${item.name}: ${item.type}${text ? ` { ${text} }` : ''}`];
}

/** The .fcn text of a net made of `items`, with file comments on top. */
export function renderNet(name: string, header: string[], items: Item[]): string {
  const lines = [...comments(header, ''), '', `net ${name} {`];
  for (const item of items) {
    if (item.kind === 'comment') lines.push(...comments(item.lines, '  '));
    else if (item.kind === 'input') {
      const text = body(item.props);
      lines.push(...comments(item.comments, '  '), `  input ${item.name}${text ? ` { ${text} }` : ''}`);
    } else if (item.kind === 'layer') lines.push(...layerText(item, '  '));
    else {
      lines.push(...comments(item.comments, '  '), `  repeat ${item.variable} in ${item.from}..${item.to} {`);
      for (const layer of item.items) lines.push(...layerText(layer, '    '));
      lines.push('  }');
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
