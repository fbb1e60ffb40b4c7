#!/usr/bin/env node
// Builds the web app (web/ → web/dist) when it is missing or older than its sources, so that
// `npm install && npm start` serves a current web app without a separate build step.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'web');
const built = path.join(web, 'dist', 'index.html');
const force = process.argv.includes('--force');

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'dist' || entry === 'node_modules' || entry === 'e2e') continue;
    max = Math.max(max, newest(path.join(p, entry)));
  }
  return max;
}

if (!fs.existsSync(path.join(web, 'index.html'))) {
  console.log('build-web: no web app in web/ yet; skipping');
  process.exit(0);
}
if (!force && fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest(web)) process.exit(0);
console.log('build-web: building the web app (vite)…');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
