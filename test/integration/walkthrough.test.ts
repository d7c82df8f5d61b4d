// The getting-started walkthrough: every file it shows is inside the installed extension, and
// every command it links to exists (the extension's own ids from src/ids.ts; VS Code's are
// registered in the host).
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/ids';
import { Walkthrough, extensionUnderTest, manifest } from './hostSupport';

const OWN_COMMAND_PREFIX = 'zendMm.';

/** Command ids a step links to (`command:ID` links, `onCommand:ID` completion events). */
function linkedCommands(walkthrough: Walkthrough): string[] {
  const ids = new Set<string>();
  for (const step of walkthrough.steps) {
    for (const m of step.description.matchAll(/\(command:([\w.-]+)/g)) ids.add(m[1]);
    for (const event of step.completionEvents ?? []) {
      const m = /^onCommand:([\w.-]+)$/.exec(event);
      if (m) ids.add(m[1]);
    }
  }
  return [...ids].sort();
}

/** Files a step shows (its media). */
function mediaFiles(walkthrough: Walkthrough): string[] {
  const files: string[] = [];
  for (const step of walkthrough.steps) {
    const { markdown, image, svg } = step.media;
    if (markdown) files.push(markdown);
    if (svg) files.push(svg);
    if (typeof image === 'string') files.push(image);
    else if (image) files.push(...Object.values(image));
  }
  return files;
}

describe('walkthrough', () => {
  const walkthroughs = manifest().contributes?.walkthroughs ?? [];

  it('is contributed', () => {
    assert.ok(walkthroughs.length > 0, 'package.json contributes no walkthrough');
  });

  for (const walkthrough of walkthroughs) {
    describe(walkthrough.title, () => {
      it('shows only files the extension ships', () => {
        const root = extensionUnderTest().extensionPath;
        const missing = mediaFiles(walkthrough).filter((f) => !fs.existsSync(path.join(root, f)));
        assert.deepEqual(missing, [], `media files missing from the installed extension at ${root}`);
      });

      it("links only to the extension's command ids and to registered VS Code commands", async () => {
        const ownIds = new Set<string>(Object.values(COMMANDS));
        const registered = new Set(await vscode.commands.getCommands(true));
        const unknown = linkedCommands(walkthrough).filter((id) => (id.startsWith(OWN_COMMAND_PREFIX) ? !ownIds.has(id) : !registered.has(id)));
        assert.deepEqual(unknown, []);
      });
    });
  }
});
