import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBackbonePack } from '../unit/core/onnx/tiny-packs';
import { openWebSession, screenshot, tempDir, trackFailures, type WebSession } from './fixtures';

const tid = (id: string) => `[data-testid="${id}"]`;

// Whether this machine has ONNX Runtime's CUDA provider library at all, looked up on disk.
const ortBin = join(dirname(require.resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
const hasCudaProvider = existsSync(ortBin) && readdirSync(ortBin).some((f) => f.includes('providers_cuda'));

describe('Settings: runtime provider and model packs, through the web host', () => {
  let s: WebSession | undefined;
  let work: string;
  trackFailures(() => s);

  beforeAll(async () => {
    work = tempDir('settings-data');
    s = await openWebSession('settings-web');
    await s.page.locator(tid('start-screen')).waitFor();
  });
  afterAll(async () => {
    await s?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows the provider a real session got as a badge on the start screen', async () => {
    const { page } = s!;
    const runtime = await s!.call('system.runtime', {});
    if (!hasCudaProvider) expect(runtime.inUse).toBe('cpu');
    const badge = page.locator(`${tid('start-screen')} ${tid('provider-badge')}`);
    await expect.poll(() => badge.getAttribute('data-provider')).toBe(runtime.inUse);
    expect((await badge.textContent())?.replace('⚠', '').trim()).toBe(runtime.inUse === 'cuda' ? 'CUDA' : 'CPU');
    if (runtime.fallbackReason) expect(await badge.getAttribute('title')).toContain(runtime.fallbackReason);
    // The title bar says it too (the Electron window takes the page's title).
    const provider = runtime.inUse === 'cuda' ? 'CUDA' : runtime.preference === 'cpu' || !runtime.fallbackReason ? 'CPU' : 'CPU (CUDA unavailable)';
    await expect.poll(() => page.title()).toBe(`GAA Workbench — ${provider}`);
  });

  it('opens Settings with Ctrl+, and shows the runtime with the fallback reason in full', async () => {
    const { page } = s!;
    await page.keyboard.press('Control+Comma');
    await page.locator(tid('settings-page')).waitFor();
    const runtime = await s!.call('system.runtime', {});
    await expect.poll(() => page.locator(tid('runtime-in-use')).textContent()).toBe(runtime.inUse === 'cuda' ? 'CUDA (GPU)' : 'CPU');
    expect(await page.locator(tid('runtime-preference')).inputValue()).toBe(runtime.preference);
    if (runtime.fallbackReason) expect(await page.locator(tid('runtime-fallback')).textContent()).toBe(runtime.fallbackReason);
  });

  it('stores a CPU preference and thread count chosen on the screen', async () => {
    const { page } = s!;
    await page.locator(tid('runtime-preference')).selectOption('cpu');
    await expect.poll(async () => (await s!.call('system.runtime', {})).preference).toBe('cpu');
    await expect.poll(() => page.locator(tid('runtime-fallback')).count()).toBe(0);
    await page.locator(tid('runtime-threads')).fill('2');
    await page.locator(tid('runtime-threads-save')).click();
    await expect.poll(async () => (await s!.call('system.runtime', {})).intraOpThreads).toBe(2);
    expect(JSON.parse(readFileSync(join(s!.userDataDir, 'settings.json'), 'utf8'))).toEqual({ executionProvider: 'cpu', intraOpThreads: 2 });
  });

  it('installs a pack typed by path and lists it in the table as the engine does', async () => {
    const { page } = s!;
    await expect.poll(() => page.locator(tid('packs-empty')).count()).toBe(1);
    const source = writeBackbonePack(join(work, 'bb'));
    await page.locator(tid('pack-source')).fill(source);
    await page.locator(tid('pack-install')).click();
    const row = page.locator(`${tid('pack-row')}[data-name="tiny-backbone"]`);
    await row.waitFor();
    const engine = await s!.call('packs.list', {});
    expect(engine.packs.map((p) => p.name)).toEqual(['tiny-backbone']);
    expect(await row.locator(tid('pack-kind')).textContent()).toBe('backbone');
    expect(await row.locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['tiny-backbone', 'backbone', '1', 'CC0-1.0', String(engine.packs[0].files.length)]),
    );
    const bytes = engine.packs[0].sizeBytes;
    expect(bytes).toBeLessThan(10 * 1024);
    expect(await row.locator(tid('pack-size')).textContent()).toBe(bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);
  });

  it('shows every reason of a refused pack in full', async () => {
    const { page } = s!;
    const source = writeBackbonePack(join(work, 'bad'));
    const manifest = JSON.parse(readFileSync(join(source, 'pack.json'), 'utf8'));
    manifest.files[0].sha256 = 'a'.repeat(64);
    writeFileSync(join(source, 'pack.json'), JSON.stringify(manifest));
    await page.locator(tid('pack-source')).fill(source);
    await page.locator(tid('pack-replace')).check();
    await page.locator(tid('pack-install')).click();
    const error = page.locator(tid('pack-install-error'));
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('model pack refused (1 problem):');
    expect(text).toContain(`file 'backbone.onnx' has sha256`);
    expect(text).toContain(`but pack.json says ${'a'.repeat(64)}`);
    // The refused replacement left the installed pack alone.
    expect((await s!.call('packs.list', {})).packs.map((p) => p.name)).toEqual(['tiny-backbone']);
    await screenshot(page, 'settings', { docs: true });
  });

  it('removes a pack only after confirmation', async () => {
    const { page } = s!;
    const row = page.locator(`${tid('pack-row')}[data-name="tiny-backbone"]`);
    await row.locator(tid('pack-remove')).click();
    await row.locator(tid('pack-remove-cancel')).click();
    expect((await s!.call('packs.list', {})).packs).toHaveLength(1);
    await row.locator(tid('pack-remove')).click();
    await row.locator(tid('pack-remove-confirm')).click();
    await expect.poll(() => page.locator(tid('pack-row')).count()).toBe(0);
    expect((await s!.call('packs.list', {})).packs).toEqual([]);
    expect(existsSync(join(s!.userDataDir, 'packs', 'tiny-backbone'))).toBe(false);
  });

  it('is reachable from the project shell, which shows the same badge', async () => {
    const { page } = s!;
    await page.locator(tid('settings-close')).click();
    await expect.poll(() => page.locator(tid('settings-page')).count()).toBe(0);
    await s!.call('project.create', { dir: join(work, 'project'), name: 'settings test' });
    await page.locator(tid('project-shell')).waitFor();
    await expect.poll(() => page.locator(`${tid('project-shell')} ${tid('provider-badge')}`).getAttribute('data-provider')).toBe('cpu');
    // The CPU preference was chosen above, so there is no fallback to mention.
    await expect.poll(() => page.title()).toBe('GAA Workbench — settings test — CPU');
    await page.locator(`${tid('project-shell')} ${tid('open-settings')}`).click();
    await page.locator(tid('settings-page')).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(tid('settings-page')).count()).toBe(0);
    // The browser logs the refused install's HTTP 400 as a console error; nothing else may be there.
    expect(s!.pageErrors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });
});
