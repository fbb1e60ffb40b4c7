// What the browser tests share: Debian's Chromium (or a notice why the tests skip), the built web
// app, and a fresh page per test that records the page's uncaught errors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.LUDAO_CHROMIUM ?? '/usr/bin/chromium';

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
