/** The playground's layout: the editor and its problems on the left, the offsets and the viz page on the right. */
export function playgroundCss(): string {
  return `
:root { color-scheme: light; font: 14px/1.4 system-ui, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; height: 100vh; display: flex; flex-direction: column; color: #1f2328; }
.bar { display: flex; gap: 16px; align-items: center; padding: 6px 12px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; }
.brand { font-weight: 700; }
#size.bad { outline: 2px solid #cf222e; }
#status[data-state="error"] { color: #cf222e; font-weight: 600; }
#status[data-state="ok"] { color: #1a7f37; }
main { flex: 1; display: grid; grid-template-columns: minmax(360px, 40%) 1fr; min-height: 0; }
#left { display: flex; flex-direction: column; min-height: 0; border-right: 1px solid #d0d7de; }
#editor { flex: 1; min-height: 0; overflow: auto; }
#editor .cm-editor { height: 100%; }
#problems { max-height: 35%; overflow: auto; border-top: 1px solid #d0d7de; padding: 0 12px; }
#problems[data-errors="0"] h2 { color: #57606a; }
h2 { font-size: 13px; margin: 8px 0 4px; }
#problem-list { font: 12px/1.35 ui-monospace, monospace; white-space: pre-wrap; margin: 0 0 8px; }
#right { display: flex; flex-direction: column; min-height: 0; }
#offsets { padding: 0 12px 6px; border-bottom: 1px solid #d0d7de; }
#offsets ul { margin: 0; padding-left: 18px; }
#offsets .offset { font-weight: 700; background: #fff8c5; padding: 0 4px; border-radius: 3px; }
#offsets .stale-note { display: none; color: #9a6700; font-weight: 400; }
#offsets.stale .stale-note { display: inline; }
#offsets.stale ul { opacity: 0.6; }
#viz { flex: 1; border: 0; width: 100%; min-height: 0; }
`;
}
