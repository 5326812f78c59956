// The extension as the real VS Code sees it: present, active, its commands and settings wired.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ENGINES_AT_ACTIVATION_ENV } from './extensionHost';

const EXTENSION_ID = 'leakscope.leakscope';

interface ContributedCommand {
  command: string;
}
interface ContributedSetting {
  default?: unknown;
}
interface Manifest {
  contributes: { commands: ContributedCommand[]; configuration: { properties: Record<string, ContributedSetting> }; views?: Record<string, { id: string }[]> };
}

function leakscope(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded in this VS Code`);
  return extension;
}

function manifest(): Manifest {
  return leakscope().packageJSON as Manifest;
}

describe('Leakscope in a real VS Code', () => {
  before(async () => {
    await leakscope().activate();
  });

  it('is present and activates', () => {
    assert.equal(leakscope().isActive, true);
  });

  it('loads neither engine at activation: the rules on the first scan, the deep probe on the first probe or gc', () => {
    assert.equal(process.env[ENGINES_AT_ACTIVATION_ENV], '', 'engine bundles loaded by activation');
  });

  it('registers every command of package.json, and no leakscope.* command that package.json lacks', async () => {
    const contributed = manifest().contributes.commands.map((c) => c.command).sort();
    // VS Code makes commands of its own for each contributed view (`<view id>.focus`…): not ours to declare.
    const viewIds = Object.values(manifest().contributes.views ?? {}).flat().map((view) => view.id);
    const isViewCommand = (id: string) => viewIds.some((view) => id.startsWith(`${view}.`));
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('leakscope.') && !isViewCommand(id)).sort();
    assert.deepEqual(
      { notRegistered: contributed.filter((id) => !registered.includes(id)), notInPackageJson: registered.filter((id) => !contributed.includes(id)) },
      { notRegistered: [], notInPackageJson: [] },
    );
  });

  it('reads every leakscope.* setting with the default package.json declares', () => {
    const properties = manifest().contributes.configuration.properties;
    assert.ok(Object.keys(properties).length > 0, 'package.json declares no settings');
    const configuration = vscode.workspace.getConfiguration();
    const wrong = Object.entries(properties)
      .map(([key, setting]) => ({ key, declared: setting.default, read: configuration.inspect(key)?.defaultValue }))
      .filter(({ declared, read }) => JSON.stringify(declared) !== JSON.stringify(read));
    assert.deepEqual(wrong, []);
  });
});
