// What every end-to-end test needs: a real `rebalance serve` on a temporary
// SQLite database, Debian's Chromium driven by playwright-core with the flags
// a closed network needs, a watch on console errors and failed requests, and
// screenshots at desktop and phone sizes.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 812 } };

export function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`usage: --binary PATH --web DIR --artifacts DIR [--docs DIR]; bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const need of ['binary', 'web', 'artifacts']) if (!out[need]) throw new Error(`missing --${need}`);
  return out;
}

/** Starts the server on a free port; resolves with its address and setup token. */
export async function startServer(binary, web) {
  const dir = mkdtempSync(join(tmpdir(), 'rebalance-e2e-'));
  const child = spawn(binary, ['serve', '--db', join(dir, 'e2e.db'), '--port', '0', '--web', web], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${out}\n${log}`)), 20000);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}\n${log}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const address = /listening on (http:\/\/\S+)/.exec(out);
      const token = /"token": "([0-9a-f]+)"/.exec(out) ?? /token[^:]*:\s*([0-9a-f]{16,})/.exec(out);
      if (address && token) {
        clearTimeout(timer);
        resolve({ base: address[1], setupToken: token[1] });
      }
    });
  });
  return {
    ...ready,
    serverLog: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A JSON API call with a bearer token (test set-up that is not under test). */
export async function api(base, method, path, body, token) {
  const res = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// Playwright gives every launch a fresh, empty profile of its own.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/**
 * A page that records every console error, uncaught exception and failed or
 * erroring request; `check()` throws if there were any.
 */
export async function watchedPage(browser, size, label) {
  const context = await browser.newContext({ viewport: SIZES[size] });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${label}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${label}: uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A download the test does not read is aborted by the browser, not failed;
    // so is a read or an intake check (no side effect) still in flight when
    // the page moves on, which a slow machine makes likely. A write that is
    // aborted is still a failure.
    const error = r.failure()?.errorText ?? '';
    const harmless = error === 'net::ERR_ABORTED' && (r.method() === 'GET' || /\/api\/v1\/intake\/validate$/.test(r.url()));
    if (!/calendar\.ics/.test(r.url()) && !harmless) problems.push(`${label}: request failed: ${r.method()} ${r.url()} ${error}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${label}: HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  return {
    page,
    context,
    problems,
    check() {
      if (problems.length) throw new Error(problems.join('\n'));
    },
  };
}

export class Screens {
  constructor(artifacts, docs) {
    this.artifacts = artifacts;
    this.docs = docs;
    mkdirSync(artifacts, { recursive: true });
    if (docs) mkdirSync(docs, { recursive: true });
    this.taken = [];
  }
  /** Saves the page as NAME-WIDTHxHEIGHT.png (the docs get the main screens). */
  async shot(page, name) {
    const v = page.viewportSize();
    const file = `${name}-${v.width}x${v.height}.png`;
    await page.screenshot({ path: join(this.artifacts, file), fullPage: false });
    if (this.docs) copyFileSync(join(this.artifacts, file), join(this.docs, file));
    this.taken.push(file);
  }
}

// axe-core (a devDependency of web/) checks a page against the WCAG 2.0, 2.1
// and 2.2 A and AA rules: every rule with one of these tags runs, not only
// axe's defaults (target size, 2.5.8, is off by default and on here).
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];
let axeSource;

/** Runs axe on the page as it is now; resolves with its violations (empty when there are none). */
export async function axeViolations(page) {
  axeSource ??= readFileSync(new URL('../../web/node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  // Evaluated rather than added as a <script>: the app's Content-Security-Policy
  // (script-src 'self') rightly refuses inline scripts.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(`${axeSource}\n;undefined`);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map((t) => (Array.isArray(t) ? t.join(' >> ') : t)).join(' '), summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
}

/** The violations as lines a person reads: rule, impact, what it asks, then each element with why it fails. */
export function formatViolations(violations, label) {
  const lines = [`${label}: ${violations.length} accessibility rule(s) violated (axe, ${AXE_TAGS.join(' ')})`];
  for (const v of violations) {
    lines.push(`  ${v.id} [${v.impact}] ${v.help} (${v.nodes.length} element(s)) ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 8)) {
      const why = (n.summary ?? '').split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ');
      lines.push(`    ${n.target}: ${why}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}

/** Runs named steps in order, printing each; the first failure stops the run. */
export async function steps(list) {
  for (const [name, fn] of list) {
    const t = Date.now();
    try {
      await fn();
    } catch (e) {
      console.error(`FAIL ${name}: ${e.stack ?? e}`);
      throw e;
    }
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  }
}
