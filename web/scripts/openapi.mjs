// Writes web/openapi.json from a built server: starts `rebalance serve` on a
// free port with a throwaway database, fetches GET /api/v1/openapi.json and
// writes it as the server emits it, then stops the server. `npm run gen:api`
// turns the copy into src/api/schema.d.ts.
//
//   node scripts/openapi.mjs --binary ../build/rebalance [--out openapi.json]
//   REBALANCE_BINARY=../build/rebalance npm run api:update   (this, then gen:api)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const binary = option('binary', process.env.REBALANCE_BINARY);
const out = option('out', new URL('../openapi.json', import.meta.url).pathname);
if (!binary) {
  console.error('usage: node scripts/openapi.mjs --binary PATH/TO/rebalance [--out openapi.json]');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'rebalance-openapi-'));
const child = spawn(binary, ['serve', '--db', join(dir, 'openapi.db'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
child.stderr.on('data', (d) => (log += d));
try {
  const base = await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start in 20 s:\n${text}\n${log}`)), 20000);
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}:\n${text}\n${log}`)));
    child.stdout.on('data', (d) => {
      text += d;
      const address = /listening on (http:\/\/\S+)/.exec(text);
      if (address) {
        clearTimeout(timer);
        resolve(address[1]);
      }
    });
  });
  const res = await fetch(`${base}/api/v1/openapi.json`);
  if (!res.ok) throw new Error(`GET /api/v1/openapi.json: ${res.status} ${await res.text()}`);
  writeFileSync(out, await res.text());
  console.log(`wrote ${out}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.on('exit', r)));
  rmSync(dir, { recursive: true, force: true });
}
