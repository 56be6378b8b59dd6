/**
 * End-to-end fixtures: a real engine behind the web host, the built renderer, Debian's
 * Chromium driven by playwright-core; one temporary user-data folder (and so one demo
 * project) per test file, and one output folder per test file, test-results/e2e/<file>/:
 * its screenshots, and a trace and a screenshot of each failed test.
 * The Electron app is launched the same way where an Electron binary exists.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium, _electron, type Browser, type BrowserContext, type ElectronApplication, type Page } from 'playwright-core';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { ImageDetail, JobInfo, ProjectInfo, RequestArgs, RequestName, RequestResult } from '../../src-main/api/contract';
import { Engine } from '../../src-main/engine/engine';
import type { FolderOpener } from '../../src-main/engine/export/open-folder';
import { startHost, type RunningHost } from '../../src-main/host/server';

export const ROOT = resolve(__dirname, '../..');
export const RENDERER_DIR = join(ROOT, 'out/renderer');
export const RESULTS_DIR = join(ROOT, 'test-results', 'e2e');
/** Where the screenshots the README and docs show are kept, refreshed by `npm run docs:screenshots`. */
export const DOCS_SCREENSHOTS_DIR = join(ROOT, 'docs', 'screenshots');
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

/**
 * The engine as a test reads it, beside the UI: over HTTP for the web host, through the
 * preload for Electron. Scenarios compare what the screen shows with what this returns.
 */
export interface Driver {
  page: Page;
  /**
   * Whether the page may read mask pixels back (same-origin images). Under Electron that
   * depends on the gaa-img: route granting CORS; without it the overlay is a blend layer.
   */
  readsMaskPixels: boolean;
  call<K extends RequestName>(name: K, args: RequestArgs<K>): Promise<RequestResult<K>>;
}

export const projectInfo = (d: Driver): Promise<ProjectInfo> => d.call('project.info', {});
export const jobList = (d: Driver): Promise<JobInfo[]> => d.call('jobs.list', {});
export const imageDetail = (d: Driver, imageId: number): Promise<ImageDetail> => d.call('dataset.image', { imageId });

/**
 * The start screen's "New project from dataset…" form, as a user fills it: the dataset folder
 * (MVTec AD layout) and the new project folder typed in, Import, then the project screen and
 * the import job done.
 */
export async function importFromStartScreen(d: Driver, datasetDir: string, projectDir: string): Promise<void> {
  const tid = (id: string) => `[data-testid="${id}"]`;
  await d.page.locator(tid('import-source')).fill(datasetDir);
  await d.page.locator(tid('import-layout')).selectOption('mvtec');
  await d.page.locator(tid('import-project-dir')).fill(projectDir);
  await d.page.locator(tid('import-start')).click();
  await d.page.locator(tid('project-shell')).waitFor();
  await expect.poll(async () => (await jobList(d)).map((j) => j.status), { timeout: 60_000 }).toEqual(['done']);
}

/** Chromium comes from Debian's package; the build machine may still be installing it. */
export async function waitForChromium(timeoutMs = 240_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(CHROMIUM)) {
    if (Date.now() > until) throw new Error(`${CHROMIUM} is not installed (apt-get install chromium)`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Polls `read` until `done` holds (for hooks, where expect.poll is not allowed). */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `gaa-e2e-${label}-`));
}

/** A POST to the web host's API with the token, as a script (not the page) would send it. */
export async function hostCall<K extends RequestName>(host: RunningHost, name: K, args: RequestArgs<K>): Promise<RequestResult<K>> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gaa-token': host.token },
    body: JSON.stringify(args),
  });
  const body = (await res.json()) as { ok: boolean; result?: unknown; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.code}: ${body.error?.message}`);
  return body.result as RequestResult<K>;
}

export interface WebSession extends Driver {
  host: RunningHost;
  /** Console errors and uncaught exceptions of the app's page, in order. */
  pageErrors: string[];
  browser: Browser;
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

/**
 * Host + browser for one test file. The renderer must have been built (`npm run build`).
 * `openFolder` stands in for the file manager, so "Open folder" opens nothing on the test machine.
 */
export async function openWebSession(label: string, opts: { initScript?: string; openFolder?: FolderOpener } = {}): Promise<WebSession> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error(`${RENDERER_DIR}/index.html is missing: run npm run build first`);
  await waitForChromium();
  const userDataDir = tempDir(label);
  const engine = opts.openFolder ? new Engine({ host: 'web', userDataDir, openFolder: opts.openFolder }) : undefined;
  const host = await startHost({ port: 0, userDataDir, staticDir: RENDERER_DIR, engine });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.tracing.start({ screenshots: true, snapshots: true });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(`uncaught: ${e.message}`));
  if (opts.initScript) await page.addInitScript(opts.initScript);
  await page.goto(host.url);
  return {
    host,
    browser,
    context,
    page,
    pageErrors,
    readsMaskPixels: true,
    userDataDir,
    call: (name, args) => hostCall(host, name, args),
    async close() {
      await context.tracing.stop().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await host.close();
      await engine?.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The output folder of the test file that is running: test-results/e2e/<file name without .test.ts>/. */
export function outputDir(): string {
  const file = expect.getState().testPath;
  if (!file) throw new Error('outputDir() is for use inside a test file');
  return join(RESULTS_DIR, basename(file).replace(/\.test\.ts$/, ''));
}

/**
 * A screenshot of the page into this file's output folder (screenshots/<name>.png). One that
 * the README or docs show is marked `docs`: with GAA_DOCS_SCREENSHOTS=1 (npm run
 * docs:screenshots) it is also written to docs/screenshots/<name>.png.
 */
export async function screenshot(page: Page, name: string, opts: { docs?: boolean } = {}): Promise<void> {
  const dir = join(outputDir(), 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
  if (opts.docs && process.env.GAA_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(DOCS_SCREENSHOTS_DIR, `${name}.png`) });
  }
}

/**
 * Starts this file's output folder afresh, then records one trace chunk per test and keeps it,
 * with a screenshot, only when the test fails: <output folder>/<test name>.{zip,png}.
 */
export function trackFailures(session: () => { page: Page; context: BrowserContext } | undefined): void {
  const ctx = () => session()?.context;
  const page = () => session()?.page;
  beforeAll(() => {
    rmSync(outputDir(), { recursive: true, force: true });
  });
  beforeEach(async () => {
    await ctx()?.tracing.startChunk().catch(() => undefined);
  });
  afterEach(async ({ task }) => {
    const failed = task.result?.state === 'fail';
    const c = ctx();
    if (!failed) {
      await c?.tracing.stopChunk().catch(() => undefined);
      return;
    }
    const dir = outputDir();
    mkdirSync(dir, { recursive: true });
    const base = join(dir, task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80));
    await page()?.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
    await c?.tracing.stopChunk({ path: `${base}.zip` }).catch(() => undefined);
  });
}

/**
 * Where `require('electron')` would point, without calling it: the electron package's
 * index.js tries to download the binary when it is missing, and these machines are offline.
 */
export function electronBinary(): string | null {
  const pkg = join(ROOT, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

export const hasElectron = electronBinary() !== null;

export interface ElectronSession extends Driver {
  app: ElectronApplication;
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

/** The built app (out/main/index.js) with its own user-data folder. */
export async function launchElectron(label: string): Promise<ElectronSession> {
  const executablePath = electronBinary();
  if (!executablePath) throw new Error('no Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)');
  const userDataDir = tempDir(label);
  const app = await _electron.launch({
    executablePath,
    args: [join(ROOT, 'out/main/index.js'), `--user-data-dir=${userDataDir}`, '--no-sandbox', '--disable-gpu'],
    cwd: ROOT,
    env: { ...process.env, GAA_USER_DATA: userDataDir, ELECTRON_ENABLE_LOGGING: '1' } as Record<string, string>,
  });
  const page = await app.firstWindow();
  const context = app.context();
  await context.tracing.start({ screenshots: true, snapshots: true });
  return {
    app,
    page,
    context,
    readsMaskPixels: false,
    userDataDir,
    call: <K extends RequestName>(name: K, args: RequestArgs<K>) =>
      page.evaluate(
        ([n, a]) => (globalThis as unknown as { gaa: { invoke(n: string, a: unknown): Promise<unknown> } }).gaa.invoke(n, a),
        [name, args] as const,
      ) as Promise<RequestResult<K>>,
    async close() {
      await context.tracing.stop().catch(() => undefined);
      await app.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
