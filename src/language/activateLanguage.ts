// Registers the language features: C/C++ macro hovers and the .zmm editor support
// (diagnostics, hovers, completion, the "Step from here" CodeLens and its command). The
// providers' code loads with the first request, or as soon as a .zmm document is open for its
// diagnostics (see languageFeaturesBundle.ts).

import * as vscode from 'vscode';
import { COMMANDS, ZMM_LANGUAGE_ID } from '../ids';
import { lazyBundle } from '../lazyBundle';
import type * as LanguageFeaturesBundle from './languageFeaturesBundle';
import type { LanguageFeatures } from './languageFeaturesBundle';
import { stepFromHere } from './stepFromHere';

const loadLanguageFeaturesBundle = lazyBundle<typeof LanguageFeaturesBundle>('languageFeatures');

/** Every registration goes into context.subscriptions. */
export function registerLanguageFeatures(context: vscode.ExtensionContext): void {
  const zmm: vscode.DocumentSelector = { language: ZMM_LANGUAGE_ID };
  const cFiles: vscode.DocumentSelector = [{ language: 'c' }, { language: 'cpp' }];
  let started: LanguageFeatures | undefined;
  const features = (): LanguageFeatures => (started ??= loadLanguageFeaturesBundle().startLanguageFeatures(context));
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(cFiles, { provideHover: (doc, pos, token) => features().macroHover.provideHover(doc, pos, token) }),
    vscode.languages.registerHoverProvider(zmm, { provideHover: (doc, pos, token) => features().traceHover.provideHover(doc, pos, token) }),
    vscode.languages.registerCompletionItemProvider(
      zmm,
      { provideCompletionItems: (doc, pos, token, trigger) => features().completion.provideCompletionItems(doc, pos, token, trigger) },
      '(',
      ',',
    ),
    vscode.languages.registerCodeLensProvider(zmm, { provideCodeLenses: (doc, token) => features().codeLens.provideCodeLenses(doc, token) }),
    vscode.commands.registerCommand(COMMANDS.stepFromHere, (uri?: vscode.Uri, line?: number) => stepFromHere(uri, line)),
    whenZmmDocumentOpen(() => void features()),
  );
}

/** Calls `start` once: now when a .zmm document is open, else when the first one opens. */
function whenZmmDocumentOpen(start: () => void): vscode.Disposable {
  const isZmm = (doc: vscode.TextDocument): boolean => doc.languageId === ZMM_LANGUAGE_ID;
  if (vscode.workspace.textDocuments.some(isZmm)) {
    start();
    return new vscode.Disposable(() => undefined);
  }
  const listener = vscode.workspace.onDidOpenTextDocument((doc) => {
    if (!isZmm(doc)) return;
    listener.dispose();
    start();
  });
  return listener;
}
