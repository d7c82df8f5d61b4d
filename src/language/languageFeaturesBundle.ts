// The heavy half of the language features, bundled apart as dist/languageFeatures.js and loaded
// by the first hover, completion or CodeLens request, or when a .zmm document is open (see
// activateLanguage.ts): the providers, the .zmm analyses they share, and the diagnostics.

import type * as vscode from 'vscode';
import { MacroHoverProvider } from './macroHoverProvider';
import { TraceHoverProvider } from './traceHoverProvider';
import { ZmmAnalyses } from './zmmAnalyses';
import { ZmmCodeLensProvider } from './zmmCodeLensProvider';
import { ZmmCompletionProvider } from './zmmCompletionProvider';
import { ZmmDiagnosticsPublisher } from './zmmDiagnosticsPublisher';

/** The providers the registrations made at activation hand their requests to. */
export interface LanguageFeatures {
  readonly macroHover: vscode.HoverProvider;
  readonly traceHover: vscode.HoverProvider;
  readonly completion: vscode.CompletionItemProvider;
  readonly codeLens: vscode.CodeLensProvider;
}

/** Creates the providers and starts publishing .zmm diagnostics (disposed with the extension). */
export function startLanguageFeatures(context: vscode.ExtensionContext): LanguageFeatures {
  const analyses = new ZmmAnalyses();
  context.subscriptions.push(new ZmmDiagnosticsPublisher(analyses));
  return {
    macroHover: new MacroHoverProvider(),
    traceHover: new TraceHoverProvider(analyses),
    completion: new ZmmCompletionProvider(analyses),
    codeLens: new ZmmCodeLensProvider(analyses),
  };
}
