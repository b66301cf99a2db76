/**
 * A scripted editor for `fcn lsp`: starts the built CLI's server and talks to it over stdio
 * with vscode-jsonrpc's client side, as VS Code's language client does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node.js';

export interface PublishedDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  source: string;
  message: string;
}

export interface LspClient {
  connection: MessageConnection;
  child: ChildProcess;
  /** Resolves with the next diagnostics published for `uri` (from now on). */
  nextDiagnostics(uri: string): Promise<PublishedDiagnostic[]>;
  open(path: string, text: string): Promise<PublishedDiagnostic[]>;
  /** Replaces the whole text (version bumped) and waits for the diagnostics. */
  change(path: string, text: string): Promise<PublishedDiagnostic[]>;
  close(): Promise<void>;
}

/** Starts `node bin/fcn.js lsp --stdio` and initializes it. */
export async function startLsp(initializationOptions: unknown = {}): Promise<LspClient> {
  const child = spawn(process.execPath, ['bin/fcn.js', 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const waiting = new Map<string, Array<(d: PublishedDiagnostic[]) => void>>();
  connection.onNotification(
    'textDocument/publishDiagnostics',
    (p: { uri: string; diagnostics: PublishedDiagnostic[] }) => {
      const list = waiting.get(p.uri) ?? [];
      waiting.delete(p.uri);
      for (const resolve of list) resolve(p.diagnostics);
    },
  );
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  const nextDiagnostics = (uri: string) =>
    new Promise<PublishedDiagnostic[]>((resolve) => waiting.set(uri, [...(waiting.get(uri) ?? []), resolve]));
  return {
    connection,
    child,
    nextDiagnostics,
    async open(path, text) {
      const uri = pathToFileURL(path).href;
      versions.set(uri, 1);
      const next = nextDiagnostics(uri);
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'fcn', version: 1, text },
      });
      return next;
    },
    async change(path, text) {
      const uri = pathToFileURL(path).href;
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      const next = nextDiagnostics(uri);
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
      return next;
    },
    async close() {
      await connection.sendRequest('shutdown');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await connection.sendNotification('exit');
      await exited;
      connection.dispose();
    },
  };
}
