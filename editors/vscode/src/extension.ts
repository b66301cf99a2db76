/**
 * The VS Code client: starts `fcn lsp --stdio` (the command from `fcn.server.command`) for
 * .fcn files and hands it the `fcn` settings, then and on every change.
 */
import { workspace, type ExtensionContext } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The settings the server reads (src/lsp/settings.ts). */
function settings() {
  const config = workspace.getConfiguration('fcn');
  return { inputSize: config.get<string>('inputSize'), inlayHints: config.get<boolean>('inlayHints') };
}

export async function activate(context: ExtensionContext): Promise<void> {
  const [command, ...args] = workspace.getConfiguration('fcn').get<string[]>('server.command') ?? [
    'npx',
    '--no-install',
    'fcn',
  ];
  const serverOptions: ServerOptions = {
    command: command!,
    args: [...args, 'lsp', '--stdio'],
    transport: TransportKind.stdio,
    options: { shell: process.platform === 'win32' },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'fcn' }],
    initializationOptions: settings(),
    synchronize: { configurationSection: 'fcn' },
  };
  client = new LanguageClient('fcn', 'fcn language server', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
