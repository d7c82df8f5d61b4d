// What a new user sees after installing the VSIX and opening the example workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { EXAMPLE_WORKSPACE } from '../harness/paths';
import { useSession } from './scenarioHooks';

interface PackageManifest {
  displayName: string;
  contributes: { walkthroughs: { title: string; steps: { title: string }[] }[] };
}

const manifest = JSON.parse(fs.readFileSync(require.resolve('../../../../package.json'), 'utf8')) as PackageManifest;

describe('getting started (VS Code UI)', function () {
  this.timeout(90_000);
  const session = useSession();

  it('opens the example workspace with every script in the Explorer', async () => {
    const shown = await session().workbench.explorerEntries();
    const scripts = fs.readdirSync(EXAMPLE_WORKSPACE).filter((f) => f.endsWith('.zmm'));
    assert.ok(scripts.length >= 5);
    for (const script of scripts) assert.ok(shown.includes(script), `${script} not in the Explorer: ${shown.join(', ')}`);
  });

  it('lists the extension among the installed extensions', async () => {
    const wb = session().workbench;
    await wb.runCommand('Extensions: Show Installed Extensions');
    const names = wb.page.locator('.extensions-viewlet .extension-list-item .name');
    await names.first().waitFor({ state: 'visible' });
    assert.ok((await names.allInnerTexts()).includes(manifest.displayName));
    await wb.screenshot('installed-extensions');
  });

  it('offers its walkthrough in "Welcome: Open Walkthrough…" and shows every step', async () => {
    const wb = session().workbench;
    const walkthrough = manifest.contributes.walkthroughs[0];
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickQuickInputItem(walkthrough.title);
    const stepTitles = wb.page.locator('.gettingStartedContainer .getting-started-step .step-title');
    await stepTitles.first().waitFor({ state: 'visible' });
    const shown = (await stepTitles.allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(shown, walkthrough.steps.map((s) => s.title));
    await wb.screenshot('walkthrough');
  });
});
