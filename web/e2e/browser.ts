// What the browser tests share: Debian's Chromium (or a notice why the tests skip), the built web
// app, `ludao start` in a child process, a fresh page per test that records the page's uncaught
// errors, and the suite's hooks with short ways to read the page and to sign in.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, request as apiRequest, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.LUDAO_CHROMIUM ?? '/usr/bin/chromium';

/** The demo accounts' password. */
export const DEMO_PASSWORD = 'ludao-demo-2026';

/** Whether Chromium is there; without it the tests skip, or fail under LUDAO_REQUIRE_BROWSER=1. */
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) {
  const hint = `Chromium is not installed at ${CHROMIUM} (apt-get install chromium, or set LUDAO_CHROMIUM to its path)`;
  if (process.env.LUDAO_REQUIRE_BROWSER === '1') throw new Error(`LUDAO_REQUIRE_BROWSER=1 but ${hint}`);
  console.warn(`web e2e: skipping the browser tests: ${hint}`);
}

/** Builds web/dist (a no-op when it is newer than the sources). */
export function buildWebApp(): void {
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.js')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the web app failed:\n${build.stdout}\n${build.stderr}`);
}

/** Starts headless Chromium with nothing that calls out to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page in a context of its own; `pageErrors` collects what the page throws. */
export async function openPage(browser: Browser, options: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

/** A `ludao start` child process on a free port, with its own PGlite directory. */
export interface StartedServer {
  base: string;
  stop: () => Promise<void>;
}

/**
 * Starts `ludao start` on a free port with the embedded database in a fresh directory, and a
 * demo city of `demoPeople` people (0: none) that loads in the background once it listens.
 *
 * @example
 * const server = await startServer({ demoPeople: 300, tmpPrefix: 'ludao-dc-e2e-' });
 * await page.goto(`${server.base}/`);
 * await server.stop();
 */
export async function startServer(options: { demoPeople: number; tmpPrefix: string }): Promise<StartedServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix));
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin', 'ludao.js'), 'start'], {
    cwd: ROOT,
    // Always the embedded database in a directory of its own, whatever DATABASE_URL the suite runs with.
    env: { ...process.env, DATABASE_URL: '', LUDAO_DATA_DIR: dataDir, LUDAO_DEMO_PEOPLE: String(options.demoPeople), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ludao start did not listen within 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`ludao start exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    base,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a browser suite's tests use: the server, the running test's page, short ways to read it. */
export interface BrowserSuite {
  /** The server's address. */
  readonly base: string;
  /** The running test's page, in a context of its own. */
  readonly page: Page;
  byTestId(id: string): Locator;
  /** An element's text, trimmed. */
  text(id: string): Promise<string>;
  /** A figure as shown ("3,383") as a number. */
  figure(id: string): Promise<number>;
  pathname(): string;
  /** Waits until an element shows a text (labels may come from data that loads after the page). */
  waitForText(id: string, wanted: string): Promise<void>;
  /**
   * Waits for an error box and returns its text, having checked the title the user reads and
   * the status kept for support (`data-status`, on `statusId` when the box wraps the problem)
   * and not shown as "HTTP n".
   */
  actionError(id: string, title: string, status: number, statusId?: string): Promise<string>;
  /** Signs in on the login page with the demo password; with `displayName`, waits for the greeting. */
  signIn(username: string, displayName?: string): Promise<void>;
  /** An API client signed in as a demo user, for what someone else does meanwhile (dispose it when done). */
  apiAs(username: string): Promise<APIRequestContext>;
}

/**
 * Sets up a browser suite: before all tests it builds the web app and starts the server and
 * Chromium; each test gets a fresh page, and fails when the page threw; after all, both stop.
 * Call it inside `describe.skipIf(!hasChromium)(…)`.
 *
 * @example
 * const web = setUpBrowserSuite({ start: () => startServer({ demoPeople: 0, tmpPrefix: 'ludao-xc-e2e-' }) });
 * it('signs in', async () => {
 *   await web.signIn('operator', '林运维');
 * });
 */
export function setUpBrowserSuite(options: { start: () => Promise<StartedServer>; context?: BrowserContextOptions }): BrowserSuite {
  let server: StartedServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    buildWebApp();
    server = await options.start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    if (!browser || !server) throw new Error('the browser or the server did not start');
    ({ context, page, pageErrors } = await openPage(browser, { baseURL: server.base, ...options.context }));
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  const suite: BrowserSuite = {
    get base() {
      if (!server) throw new Error('the server did not start');
      return server.base;
    },
    get page() {
      if (!page) throw new Error('no page: the test has not started');
      return page;
    },
    byTestId: (id) => suite.page.getByTestId(id),
    text: async (id) => ((await suite.byTestId(id).textContent()) ?? '').trim(),
    figure: async (id) => Number((await suite.text(id)).replace(/[^\d]/g, '')),
    pathname: () => new URL(suite.page.url()).pathname,
    waitForText: (id, wanted) => suite.byTestId(id).filter({ hasText: wanted }).waitFor(),
    async actionError(id, title, status, statusId = id) {
      await suite.byTestId(id).waitFor();
      const error = await suite.text(id);
      expect(error).toContain(title);
      expect(error).not.toContain('HTTP');
      expect(await suite.byTestId(statusId).getAttribute('data-status')).toBe(String(status));
      return error;
    },
    async signIn(username, displayName) {
      await suite.page.goto('/');
      await suite.byTestId('login-form').waitFor();
      await suite.byTestId('login-username').fill(username);
      await suite.byTestId('login-password').fill(DEMO_PASSWORD);
      await suite.byTestId('login-submit').click();
      if (displayName !== undefined) await suite.byTestId('home-greeting').filter({ hasText: displayName }).waitFor();
    },
    async apiAs(username) {
      const api = await apiRequest.newContext({ baseURL: suite.base });
      const res = await api.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
      if (res.status() !== 200) throw new Error(`sign-in as ${username} failed: ${res.status()}`);
      return api;
    },
  };
  return suite;
}
