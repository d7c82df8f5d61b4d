// Checks the UI helpers themselves against features VS Code ships (JSON hovers and syntax
// errors, the Markdown preview webview), so scenarios for this extension's own hovers,
// diagnostics and heap inspector can rely on them.
import * as assert from 'node:assert/strict';
import { useSession } from './scenarioHooks';

describe('workbench helpers (VS Code UI)', function () {
  this.timeout(90_000);
  const session = useSession({ extraFiles: { 'broken.json': '{\n  "a": 1\n  "b": 2\n}\n' } });

  it('reads the hover at a text position', async () => {
    const wb = session().workbench;
    await wb.openFile('launch.json');
    const text = await wb.hoverAt(2, 5); // the "version" key: its schema description
    assert.match(text, /Version of this file format/);
  });

  it('reads the Problems view', async () => {
    const wb = session().workbench;
    await wb.openFile('broken.json');
    const rows = await wb.problemsMatching(/Expected comma/);
    // VS Code labels file rows "N problems in file NAME ..." and marker rows "Error: TEXT at line L and character C. ..."
    assert.ok(rows.some((r) => /problems? in file broken\.json/.test(r)), rows.join('\n'));
    assert.ok(rows.some((r) => /^Error: Expected comma at line 3 and character 3\b/.test(r)), rows.join('\n'));
  });

  it("reads a webview's document", async () => {
    const wb = session().workbench;
    await wb.openFile('README.md');
    await wb.runCommand('Markdown: Open Preview');
    const frame = await wb.webviewWith('h1');
    assert.equal((await frame.locator('h1').first().innerText()).trim(), 'Zend MM Lab example workspace');
    await wb.screenshot('markdown-preview-webview');
  });
});
