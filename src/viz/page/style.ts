/**
 * The page's stylesheet. System fonts only (the page loads nothing); the graph's own colours
 * are presentation attributes in its markup (shared with the static SVG), the rules here only
 * add states: hover, selection, search matches and the two crop paths.
 */

/** The CSS inlined into the page. */
export function pageCss(): string {
  return `
:root {
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f8fafc; --card: #ffffff;
  --accent: #f59e0b; --path-a: #0d9488; --path-b: #db2777; --sel: #1d4ed8;
  --font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  --mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace;
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 13px/1.45 var(--font); color: var(--ink); background: var(--bg); display: flex; flex-direction: column; }
a.blob-link { color: var(--sel); text-decoration: none; font-weight: 600; }
a.blob-link:hover { text-decoration: underline; }
code, .formula, td.map { font-family: var(--mono); font-size: 12px; }
.muted { color: var(--muted); }
.hint { color: var(--muted); font-size: 12px; margin: 2px 0 0; }

header.top { display: flex; align-items: center; gap: 20px; padding: 10px 18px; background: var(--card); border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header .title { display: flex; align-items: baseline; gap: 10px; }
header .brand { font-weight: 700; color: #fff; background: var(--ink); border-radius: 5px; padding: 1px 7px; font-size: 12px; }
header h1 { font-size: 19px; margin: 0; letter-spacing: -0.01em; }
header .file { color: var(--muted); font-family: var(--mono); font-size: 12px; }
header .stats { display: flex; gap: 16px; list-style: none; margin: 0; padding: 0; color: var(--muted); }
header .stats b { color: var(--ink); }
.search-box { position: relative; margin-left: auto; }
#search { width: 260px; padding: 6px 10px; border: 1px solid #cbd5e1; border-radius: 7px; font: inherit; background: var(--bg); }
#search:focus { outline: 2px solid #93c5fd; background: #fff; }
#search-results { position: absolute; right: 0; top: 34px; width: 320px; max-height: 70vh; overflow: auto; margin: 0; padding: 4px; list-style: none;
  background: #fff; border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 8px 24px rgba(15,23,42,.15); z-index: 10; }
#search-results li { padding: 4px 8px; border-radius: 5px; cursor: pointer; font-family: var(--mono); font-size: 12px; }
#search-results li.active, #search-results li:hover { background: #eff6ff; }

main { flex: 1; display: flex; min-height: 0; }
#graph-pane { position: relative; flex: 1; min-width: 0; background:
  radial-gradient(circle, #e2e8f0 1px, transparent 1px) 0 0 / 22px 22px, var(--bg); }
#graph { width: 100%; height: 100%; display: block; cursor: grab; user-select: none; }
#graph.dragging { cursor: grabbing; }
#graph g.node { cursor: pointer; }
#graph g.node:hover rect.box { stroke-width: 2.5; }
#graph g.node.selected rect.box { stroke: var(--sel); stroke-width: 3.5; filter: drop-shadow(0 0 6px rgba(29,78,216,.45)); }
#graph g.node.match rect.box { stroke: #f97316; stroke-width: 3; stroke-dasharray: 5 3; }
#graph g.node.path-a rect.box { stroke: var(--path-a); stroke-width: 3; }
#graph g.node.path-b rect.box { stroke: var(--path-b); stroke-width: 3; }
#graph g.node.ancestor rect.box { stroke: var(--ink); stroke-width: 3.5; stroke-dasharray: 2 3; }
#graph g.edge.near path { stroke: var(--sel); stroke-width: 2; }
#graph g.edge.path-a path { stroke: var(--path-a); stroke-width: 3; }
#graph g.edge.path-b path { stroke: var(--path-b); stroke-width: 3; }
#graph g.chip { cursor: help; }
#graph g.chip:hover rect { fill: #fbbf24; }
.overlay { position: absolute; background: rgba(255,255,255,.94); border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 2px 8px rgba(15,23,42,.08); }
.legend { left: 12px; bottom: 12px; padding: 8px 10px; display: flex; flex-direction: column; gap: 6px; max-width: calc(100% - 24px); }
.legend .row { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.legend .sw { display: inline-block; min-width: 30px; text-align: center; padding: 1px 6px; border: 1.5px solid; border-radius: 5px; font-weight: 600; font-size: 12px; }
.legend .chip { background: var(--accent); border: 1px solid #b45309; border-radius: 8px; padding: 0 7px; font-weight: 700; font-size: 11px; }
.legend .dash { display: inline-block; width: 26px; border-top: 2px dashed #94a3b8; vertical-align: middle; }
.zoom { right: 12px; top: 12px; display: flex; align-items: center; padding: 3px; gap: 2px; }
.zoom button { font: 600 14px var(--font); border: 0; background: transparent; border-radius: 5px; min-width: 28px; height: 26px; cursor: pointer; color: var(--ink); }
.zoom button:hover { background: #f1f5f9; }
#zoom-level { font-size: 11px; color: var(--muted); min-width: 38px; text-align: center; }
.pane-hint { position: absolute; right: 14px; bottom: 8px; margin: 0; color: var(--muted); font-size: 11px; }

aside#side { width: 500px; flex: none; overflow-y: auto; border-left: 1px solid var(--line); padding: 12px; display: flex; flex-direction: column; gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.card[hidden] { display: none; }
.card h2 { font-size: 14px; margin: 0 0 6px; }
.card h3 { font-size: 12.5px; margin: 10px 0 4px; display: flex; align-items: center; gap: 6px; }
.blob-head { display: flex; align-items: center; gap: 8px; }
.blob-head h2 { font-size: 17px; margin: 0; font-family: var(--mono); }
.blob-head .scope { color: var(--muted); font-weight: 400; }
.type-badge { border: 1.5px solid #94a3b8; border-radius: 6px; padding: 0 7px; font-size: 12px; font-weight: 700; }
.blob-detail { margin: 2px 0 8px; color: #334155; font-family: var(--mono); font-size: 12px; }
dl.facts { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 8px 12px; margin: 8px 0; }
dl.facts .fact { border-left: 3px solid var(--line); padding-left: 8px; }
dl.facts dt { color: var(--muted); font-size: 11.5px; }
dl.facts dd { margin: 0; font-size: 15px; font-weight: 650; font-variant-numeric: tabular-nums; white-space: nowrap; }
dl.facts .hint { font-size: 11px; line-height: 1.3; }
dl.facts .fact[data-key="offset"] { border-left-color: var(--accent); }
.sources { margin-top: 8px; display: flex; flex-direction: column; gap: 3px; }
.src { display: flex; gap: 8px; align-items: baseline; font-size: 12px; }
.src .loc { color: var(--muted); font-family: var(--mono); font-size: 11px; white-space: nowrap; }
.src code { background: #f1f5f9; border-radius: 4px; padding: 1px 6px; white-space: pre-wrap; }
.src.via { padding-left: 14px; }
.links { margin: 8px 0 0; display: flex; flex-direction: column; gap: 2px; color: var(--muted); }

#crop { border-color: #fcd34d; box-shadow: 0 0 0 3px #fef3c7; }
#crop .lead { margin: 0 0 4px; }
.path h4 { font-size: 12px; margin: 10px 0 2px; display: flex; align-items: center; gap: 6px; font-family: var(--mono); }
.path h4 .swatch { width: 14px; height: 4px; border-radius: 2px; display: inline-block; }
.path-a h4 .swatch { background: var(--path-a); }
.path-b h4 .swatch { background: var(--path-b); }
ul.lands { margin: 0 0 4px; padding-left: 18px; }
ul.lands b { font-family: var(--mono); }
ul.lands b.a { color: var(--path-a); }
ul.lands b.b { color: var(--path-b); }
table { border-collapse: collapse; width: 100%; }
table.maps th { text-align: left; font-size: 11px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 3px 4px; }
table.maps td, .contrib td { padding: 3px 4px; border-bottom: 1px solid #f1f5f9; vertical-align: top; }
table.maps tr.identity { display: none; }
table.maps.show-identity tr.identity { display: table-row; color: var(--muted); }
td.map.strong { font-weight: 600; }
.what { color: var(--muted); font-size: 11px; }
.link-button { border: 0; background: none; color: var(--sel); cursor: pointer; font: inherit; font-size: 12px; padding: 2px 0; }
.verdict { margin-top: 10px; background: #fffbeb; border: 1px solid #fde68a; border-radius: 8px; padding: 6px 10px; }
.verdict p { margin: 3px 0; }
.verdict.error { background: #fef2f2; border-color: #fecaca; }
.formula { font-weight: 600; }
.contrib td.num { text-align: right; font-family: var(--mono); font-weight: 600; white-space: nowrap; }
.contrib td.bar-cell { width: 42%; position: relative; }
.contrib .bar { position: absolute; top: 7px; height: 10px; border-radius: 3px; }
.contrib .bar.pos { left: 50%; background: #f59e0b; }
.contrib .bar.neg { right: 50%; background: #60a5fa; }
.contrib td.bar-cell::before { content: ''; position: absolute; left: 50%; top: 3px; bottom: 3px; border-left: 1px solid #cbd5e1; }
.contrib tr.total td { border-top: 2px solid var(--ink); font-weight: 700; }

.rf-controls { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-bottom: 6px; }
.rf-controls input { width: 64px; padding: 3px 6px; border: 1px solid #cbd5e1; border-radius: 5px; font: inherit; }
#rf-svg { width: 100%; height: 340px; display: block; background: #fff; border-radius: 6px; cursor: crosshair; }
#rf-readout { margin: 6px 0 0; }
.rf-key { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin: 6px 0 0; font-size: 11.5px; color: var(--muted); }
.rf-key .key { display: inline-block; width: 16px; height: 10px; border-radius: 2px; margin-left: 6px; }
.rf-key .key:first-child { margin-left: 0; }
.rf-key .key.box { background: rgba(225,29,72,.15); border: 2px solid #e11d48; }
.rf-key .key.right { border: 2px dashed #0284c7; }
.rf-key .key.below { border: 2px dashed #7c3aed; }
.rf-key .key.dot { width: 6px; height: 6px; border-radius: 3px; background: var(--ink); opacity: .6; }
#rf-svg .rf-grid { stroke: #e2e8f0; vector-effect: non-scaling-stroke; }
#rf-svg .rf-input { fill: none; stroke: var(--ink); stroke-width: 1.5; vector-effect: non-scaling-stroke; }
#rf-svg .rf-box { fill: rgba(225,29,72,.13); stroke: #e11d48; stroke-width: 2.5; vector-effect: non-scaling-stroke; }
#rf-svg .rf-neighbour { fill: none; stroke-width: 1.8; stroke-dasharray: 6 4; vector-effect: non-scaling-stroke; }
#rf-svg .rf-neighbour.right { stroke: #0284c7; }
#rf-svg .rf-neighbour.below { stroke: #7c3aed; }
#rf-svg .rf-centre { fill: #e11d48; stroke: #fff; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
#rf-svg .rf-lattice { fill: var(--ink); opacity: .55; }
#rf-svg .rf-stride { stroke: var(--ink); stroke-width: 2; vector-effect: non-scaling-stroke; }
#rf-svg .rf-label { fill: #be123c; font-weight: 700; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; vector-effect: non-scaling-stroke; }
#rf-svg .rf-label.small { fill: var(--ink); font-weight: 600; }

.ladder-scroll { overflow-x: auto; }
#ladder-svg { display: block; }
#ladder-svg .ladder-level { font-size: 10.5px; font-weight: 700; fill: #334155; }
#ladder-svg .ladder-link { fill: none; stroke: #475569; stroke-width: 1.8; }
#ladder-svg .ladder-link.skip { stroke: #b45309; stroke-dasharray: 5 3; }
#ladder-svg .ladder-text { cursor: pointer; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
#ladder-svg .ladder-text:hover { fill: var(--sel); text-decoration: underline; }
#ladder-svg .ladder-text.selected { fill: var(--sel); font-weight: 800; }
#ladder-svg .trunk-name { font: 600 10.5px var(--mono); }
#ladder-svg .branch-name { font: 11px var(--mono); }
#ladder-svg .rung-name { font: 700 12px var(--mono); }
#ladder-svg .ladder-chip text { font: 700 10.5px var(--font); fill: #1c1917; }
.guide p { margin: 6px 0; }
.guide dt { font-weight: 700; margin-top: 8px; }
.guide dd { margin: 2px 0 0; }
.warnings { background: #fffbeb; border-color: #fde68a; }
.warnings pre { white-space: pre-wrap; margin: 0; font: 12px var(--mono); }
.errors { background: #fef2f2; border-color: #fecaca; }
.errors pre { white-space: pre-wrap; margin: 0; font: 12px var(--mono); }
`;
}
