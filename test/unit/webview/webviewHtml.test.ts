import * as assert from 'assert';
import { heapMapCsp, heapMapHtml, newNonce } from '../../../src/webview/webviewHtml';

describe('webviewHtml', () => {
  it('allows nothing by default, scripts only by nonce, styles and images only from the webview origin', () => {
    assert.strictEqual(heapMapCsp('https://x.vscode-cdn.net', 'abc'), "default-src 'none'; img-src https://x.vscode-cdn.net; style-src https://x.vscode-cdn.net; script-src 'nonce-abc';");
  });

  it('makes a fresh 16-byte nonce each time', () => {
    const a = newNonce();
    assert.strictEqual(Buffer.from(a, 'base64').length, 16);
    assert.notStrictEqual(a, newNonce());
  });

  it('loads exactly the bundled script and stylesheet, escaping what it is given', () => {
    const html = heapMapHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/dist/media/heapMap.js', styleUri: 'vscode-resource:/media/a"b.css', nonce: 'N0' });
    assert.deepStrictEqual(html.match(/<script[^>]*>/g), ['<script nonce="N0" src="vscode-resource:/dist/media/heapMap.js">']);
    assert.deepStrictEqual(html.match(/<link[^>]*>/g), ['<link rel="stylesheet" href="vscode-resource:/media/a&quot;b.css">']);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(html, /https?:\/\//);
  });
});
