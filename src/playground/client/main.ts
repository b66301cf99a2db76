/**
 * The playground page (browser side; bundled by esbuild into the page by `npm run build`):
 * a CodeMirror editor on the nets of nets/, checked and drawn by the compiler on every pause
 * in typing. Diagnostics are underlined; the `fcn viz` page beside the editor is re-rendered
 * when the text has no error, and otherwise the last good one stays, marked as such.
 */
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import type { Pair } from '../../compiler/layers/types.js';
import { formatAxes } from '../../viz/format.js';
import type { VizModel } from '../../viz/model.js';
import { framePage, playgroundRound, type PlaygroundRound } from '../compile.js';
import type { PlaygroundAssets } from '../assets.js';
import { fcnLanguage } from './fcn-language.js';

/** How long typing must pause before the compiler runs. */
const PAUSE_MS = 150;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const assets = JSON.parse(byId('fcn-assets').textContent!) as PlaygroundAssets;
const files: Record<string, string> = { ...assets.nets };
let current = assets.start;
let timer: ReturnType<typeof setTimeout> | undefined;
let shownHtml = '';

const shown = (path: string) => path.replace(/^\//, '');

function parseSize(text: string): Pair | undefined {
  const m = /^\s*(\d+)\s*(?:[x×]\s*(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const w = Number(m[2] ?? m[1]);
  return h >= 1 && w >= 1 && h <= 8192 && w <= 8192 ? [h, w] : undefined;
}

function renderOffsets(model: VizModel, stale: boolean): void {
  const list = byId<HTMLUListElement>('offset-list');
  list.replaceChildren(
    ...model.crops.map((c) => {
      const li = document.createElement('li');
      li.dataset.crop = c.name;
      const name = document.createElement('b');
      name.textContent = c.name;
      const offset = document.createElement('span');
      offset.className = 'offset';
      offset.textContent = c.offset ? formatAxes(c.offset) : '?';
      li.append(name, ` ${c.input} → size of ${c.reference}: offset `, offset);
      return li;
    }),
  );
  if (!model.crops.length) list.innerHTML = '<li class="none">no crops in this net</li>';
  byId('offsets').classList.toggle('stale', stale);
}

function renderProblems(round: PlaygroundRound): void {
  const pre = byId('problem-list');
  pre.textContent = round.diagnostics.map((d) => d.rendered).join('\n\n') || 'no problems';
  const errors = round.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = round.diagnostics.filter((d) => d.severity === 'warning').length;
  byId('problems').dataset.errors = String(errors);
  const status = byId('status');
  status.dataset.state = errors ? 'error' : 'ok';
  if (errors) {
    status.textContent = `${errors} error${errors === 1 ? '' : 's'}${shownHtml ? ': showing the last good graph' : ''}`;
  } else if (round.model) {
    const size = round.size ? `${round.size[0]}×${round.size[1]}${round.declared ? ' (declared)' : ''}` : '';
    status.textContent = `net ${round.model.net} at ${size}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
  } else status.textContent = 'no net to draw in this file';
}

function run(view: EditorView): void {
  timer = undefined;
  const sizeBox = byId<HTMLInputElement>('size');
  const size = parseSize(sizeBox.value);
  sizeBox.classList.toggle('bad', !size);
  const round = playgroundRound(files, current, size ?? [500, 500], { dagre: assets.dagre, client: assets.client });
  const diagnostics: Diagnostic[] = round.diagnostics.map((d) => ({
    from: Math.min(d.from, view.state.doc.length),
    to: Math.min(d.to, view.state.doc.length),
    severity: d.severity === 'note' ? 'info' : d.severity,
    source: d.code,
    message: d.message,
  }));
  view.dispatch(setDiagnostics(view.state, diagnostics));
  if (round.model && round.html) {
    renderOffsets(round.model, false);
    if (round.html !== shownHtml) {
      shownHtml = round.html;
      const frame = byId<HTMLIFrameElement>('viz');
      frame.srcdoc = framePage(round.html, frame.contentWindow?.location.hash ?? '');
    }
  } else byId('offsets').classList.add('stale');
  renderProblems(round);
  document.body.dataset.rounds = String(Number(document.body.dataset.rounds ?? 0) + 1);
}

function schedule(view: EditorView): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => run(view), PAUSE_MS);
}

function stateFor(path: string, view?: EditorView): EditorState {
  return EditorState.create({
    doc: files[path] ?? '',
    extensions: [
      basicSetup,
      fcnLanguage,
      lintGutter(),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        files[current] = u.state.doc.toString();
        if (view ?? editor) schedule(view ?? editor);
      }),
    ],
  });
}

const menu = byId<HTMLSelectElement>('file');
for (const path of Object.keys(assets.nets).sort()) {
  const option = document.createElement('option');
  option.value = path;
  option.textContent = shown(path);
  option.selected = path === current;
  menu.append(option);
}

const editor = new EditorView({ state: stateFor(current), parent: byId('editor') });
menu.addEventListener('change', () => {
  current = menu.value;
  editor.setState(stateFor(current, editor));
  run(editor);
});
byId('size').addEventListener('input', () => schedule(editor));
run(editor);
document.body.classList.add('ready');
