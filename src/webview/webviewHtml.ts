// The heap inspector's HTML shell: the only place that writes its Content-Security-Policy.
// Nothing but the bundled script (by nonce) and stylesheet (from the webview's own origin) loads.

import { randomBytes } from 'crypto';

/** Where the shell's resources come from. */
export interface WebviewHtmlSources {
  /** webview.cspSource: the origin the bundled media is served from. */
  readonly cspSource: string;
  /** URI of dist/media/heapMap.js. */
  readonly scriptUri: string;
  /** URI of media/heapMap/heapMap.css. */
  readonly styleUri: string;
  /** A fresh nonce (newNonce()). */
  readonly nonce: string;
}

/** A nonce for one page load: 16 random bytes, base64. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Escapes text for an HTML attribute value in double quotes. */
function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The Content-Security-Policy of the inspector. */
export function heapMapCsp(cspSource: string, nonce: string): string {
  return `default-src 'none'; img-src ${cspSource}; style-src ${cspSource}; script-src 'nonce-${nonce}';`;
}

/** The HTML of the inspector page. */
export function heapMapHtml(src: WebviewHtmlSources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(heapMapCsp(src.cspSource, src.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(src.styleUri)}">
<title>Heap Inspector</title>
</head>
<body>
<main id="app" aria-label="Zend MM heap inspector"></main>
<script nonce="${attr(src.nonce)}" src="${attr(src.scriptUri)}"></script>
</body>
</html>
`;
}
