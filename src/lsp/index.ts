export { startServer } from './server.js';
export { readSettings, DEFAULT_SETTINGS, type LspSettings } from './settings.js';
export { Workspace, uriPath, type AnalysedNet } from './workspace.js';
