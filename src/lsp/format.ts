/**
 * Formatting through prettier with the project's plugin, so the editor formats exactly as
 * `npx prettier --write` does. The user's prettier configuration is honoured (print width),
 * except its plugin list: the server brings its own copy of the plugin.
 */
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import plugin from '../format/index.js';

/** One edit replacing the whole document with its formatted text; none when the text does not parse or is already formatted. */
export async function formatDocument(doc: TextDocument, path: string): Promise<TextEdit[]> {
  const prettier = await import('prettier');
  const text = doc.getText();
  let config: Record<string, unknown> = {};
  try {
    config = ((await prettier.resolveConfig(path)) ?? {}) as Record<string, unknown>;
  } catch {
    // An unreadable configuration: format with prettier's defaults.
  }
  const { plugins: _ignored, overrides: _overrides, ...options } = config;
  let formatted: string;
  try {
    formatted = await prettier.format(text, { ...options, filepath: path, parser: 'fcn', plugins: [plugin] });
  } catch {
    // A syntax error: the diagnostics already say where; formatting leaves the text alone.
    return [];
  }
  if (formatted === text) return [];
  return [{ range: { start: doc.positionAt(0), end: doc.positionAt(text.length) }, newText: formatted }];
}
