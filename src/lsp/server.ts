/**
 * `fcn lsp`: the Language Server Protocol over stdio, on vscode-languageserver. Diagnostics
 * are `fcn check`'s, published on open and on every change (for every open document, since an
 * edit to an import changes its importers); hover, definition, completion, formatting and
 * inlay hints read the same compiler.
 */
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { complete } from './completion.js';
import { definition } from './definition.js';
import { formatDocument } from './format.js';
import { hover } from './hover.js';
import { inlayHints } from './inlay.js';
import { locate } from './locate.js';
import { readSettings } from './settings.js';
import { uriPath, Workspace } from './workspace.js';

/** Starts the server on a connection (stdio by default); the connection exits the process on the client's `exit`. */
export function startServer(
  connection: Connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout),
): Workspace {
  const documents = new TextDocuments(TextDocument);
  const ws = new Workspace(documents);

  const publishAll = () => {
    for (const doc of documents.all()) {
      void connection.sendDiagnostics({
        uri: doc.uri,
        version: doc.version,
        diagnostics: ws.diagnostics(uriPath(doc.uri)),
      });
    }
  };

  connection.onInitialize((params): InitializeResult => {
    ws.settings = readSettings(ws.settings, params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: [':', '.', '[', '(', ' '] },
        documentFormattingProvider: true,
        inlayHintProvider: true,
      },
      serverInfo: { name: 'fcn' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    ws.settings = readSettings(ws.settings, change.settings);
    ws.changed();
    publishAll();
    void connection.languages.inlayHint.refresh().catch(() => undefined);
  });

  documents.onDidOpen(() => {
    ws.changed();
    publishAll();
  });
  documents.onDidChangeContent(() => {
    ws.changed();
    publishAll();
  });
  documents.onDidClose((e) => {
    ws.changed();
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    publishAll();
  });

  const at = (uri: string, position: { line: number; character: number }) => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const path = uriPath(uri);
    const ast = ws.document(path);
    const hit = ast && locate(ast, doc.offsetAt(position));
    return hit && { path, hit };
  };

  connection.onHover(({ textDocument, position }) => {
    const found = at(textDocument.uri, position);
    return found ? (hover(ws, found.path, found.hit) ?? null) : null;
  });
  connection.onDefinition(({ textDocument, position }) => {
    const found = at(textDocument.uri, position);
    return found ? definition(ws, found.path, found.hit) : [];
  });
  connection.onCompletion(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? complete(ws, uriPath(doc.uri), doc.getText(), doc.offsetAt(position)) : [];
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? formatDocument(doc, uriPath(doc.uri)) : [];
  });
  connection.languages.inlayHint.on(({ textDocument, range }) => {
    if (!ws.settings.inlayHints || !documents.get(textDocument.uri)) return [];
    const path = uriPath(textDocument.uri);
    return inlayHints(ws.netsUsing(path), path, range);
  });

  documents.listen(connection);
  connection.listen();
  return ws;
}
