import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { ApiError, type RequestName } from '../../../src-main/api/contract';
import type { EngineEndpoint } from '../../../src-main/engine/endpoint';
import { menuActions, menuTemplate, type MenuActions } from '../../../src-main/electron/menu';
import { dialog } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const noop: MenuActions = { openProject: async () => {}, openDemo: async () => {}, about: async () => {} };

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.map((i) => i.label ?? String(i.role));
}

function submenu(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  return items.find((i) => i.label === label)!.submenu as MenuItemConstructorOptions[];
}

function recordingEngine(fail?: ApiError) {
  const calls: [RequestName, unknown][] = [];
  const engine: EngineEndpoint = {
    invoke: async (name, args) => {
      calls.push([name, args]);
      if (fail) throw fail;
      return {};
    },
    onEvent: () => () => {},
    resolveImage: async () => null,
    close: async () => {},
  };
  return { engine, calls };
}

beforeEach(() => {
  dialog.showMessageBox.mockClear();
  dialog.showOpenDialog.mockReset();
});

describe('the application menu', () => {
  it('offers reload and devtools only in development', () => {
    const built = menuTemplate({ dev: false, platform: 'linux', actions: noop });
    expect(labels(built)).toEqual(['File', 'Edit', 'help']);
    const dev = menuTemplate({ dev: true, platform: 'linux', actions: noop });
    expect(labels(dev)).toEqual(['File', 'Edit', 'View', 'help']);
    expect(submenu(dev, 'View').map((i) => i.role)).toEqual(['reload', 'toggleDevTools']);
  });

  it('has open project, open demo and quit under File', () => {
    const file = submenu(menuTemplate({ dev: false, platform: 'linux', actions: noop }), 'File');
    expect(file.map((i) => i.label ?? i.role ?? i.type)).toEqual(['Open Project…', 'Open Demo Project', 'separator', 'quit']);
  });

  it('opens the folder the user picks as a project', async () => {
    const { engine, calls } = recordingEngine();
    dialog.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: ['/data/bottle-project'] });
    await menuActions(engine, () => null).openProject();
    expect(calls).toEqual([['project.open', { dir: '/data/bottle-project' }]]);
  });

  it('does nothing when the user cancels the folder picker', async () => {
    const { engine, calls } = recordingEngine();
    dialog.showOpenDialog.mockResolvedValue({ canceled: true, filePaths: [] });
    await menuActions(engine, () => null).openProject();
    expect(calls).toEqual([]);
  });

  it('opens the demo project through the engine and shows an error when it fails', async () => {
    const { engine, calls } = recordingEngine(new ApiError('io', 'disk full while writing the demo dataset'));
    await menuActions(engine, () => null).openDemo();
    expect(calls).toEqual([['project.openDemo', { run: 'all' }]]);
    expect(dialog.showMessageBox).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'error', detail: 'disk full while writing the demo dataset' }),
    );
  });
});
