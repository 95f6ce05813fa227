// A thin client: VS Code starts `gitops-lint lsp --stdio` and shows its diagnostics. Everything
// else (which files, when to lint, rule links) is the language server's.
'use strict';
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** The server's initializationOptions from the settings; empty ones are left out. */
function initializationOptions(config) {
  const options = {};
  const roots = config.get('roots', []);
  if (Array.isArray(roots) && roots.length > 0) options.roots = roots;
  const configFile = config.get('configFile', '');
  if (configFile) options.configFile = configFile;
  return options;
}

function createClient() {
  const config = vscode.workspace.getConfiguration('gitops-lint');
  const command = config.get('path', 'gitops-lint') || 'gitops-lint';
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // No `transport`: the arguments are passed as written (a stdio transport would add its own --stdio).
  const server = { command, args: ['lsp', '--stdio'], options: cwd === undefined ? {} : { cwd } };
  return new LanguageClient(
    'gitops-lint',
    'gitops-lint',
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'file', language: 'json' },
      ],
      initializationOptions: initializationOptions(config),
    },
  );
}

async function restart() {
  if (client !== undefined) await client.stop();
  client = createClient();
  await client.start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('gitops-lint.restart', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('gitops-lint')) void restart();
    }),
  );
  await restart();
}

async function deactivate() {
  if (client !== undefined) await client.stop();
  client = undefined;
}

module.exports = { activate, deactivate, initializationOptions };
