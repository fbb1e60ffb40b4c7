/**
 * How fast the synthetic city is written, against a bare baseline in the same run: the same
 * number of lines and bytes per registry, precomputed, written through plain file streams (the
 * cost of the disk and the streams alone). Prints lines/s, MB/s and peak memory.
 *
 *   npm run bench:synth -- [people=1000000] [seed=bench]
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { writeCity, REGISTRY_NAMES } from '../../src/synth';

const people = Number(process.argv[2] ?? 1_000_000);
const seed = process.argv[3] ?? 'bench';
const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'ludao-bench-synth-'));

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);

try {
  const started = performance.now();
  const manifest = await writeCity({ people, seed, outDir: path.join(root, 'city') });
  const seconds = (performance.now() - started) / 1000;
  const cityPeak = peak;
  let lines = 0;
  let bytes = 0;
  const sizes: Record<string, number> = {};
  for (const name of REGISTRY_NAMES) {
    const size = (await fsp.stat(path.join(root, 'city', `${name}.ndjson`))).size;
    sizes[name] = size;
    bytes += size;
    lines += manifest.counts[name];
  }
  await fsp.rm(path.join(root, 'city'), { recursive: true });

  // Baseline: the same lines (one repeated line of the registry's mean length) through streams.
  peak = 0;
  const baseStarted = performance.now();
  await fsp.mkdir(path.join(root, 'base'));
  for (const name of REGISTRY_NAMES) {
    const count = manifest.counts[name];
    if (count === 0) continue;
    const line = 'x'.repeat(Math.max(1, Math.round(sizes[name]! / count) - 1)) + '\n';
    const stream = fs.createWriteStream(path.join(root, 'base', `${name}.ndjson`), { highWaterMark: 4 << 20 });
    let chunk = '';
    for (let i = 0; i < count; i++) {
      chunk += line;
      if (chunk.length >= 1 << 20) {
        if (!stream.write(chunk)) await once(stream, 'drain');
        chunk = '';
      }
    }
    stream.end(chunk);
    await once(stream, 'finish');
  }
  const baseSeconds = (performance.now() - baseStarted) / 1000;
  clearInterval(sampler);

  const mb = bytes / 1e6;
  console.log(`synthetic city: ${people.toLocaleString()} people, seed "${seed}", Node ${process.version}, ${os.cpus().length} CPUs`);
  console.log(`  ludao writeCity   ${seconds.toFixed(1)} s   ${Math.round(lines / seconds).toLocaleString()} lines/s   ${(mb / seconds).toFixed(0)} MB/s   peak RSS ${(cityPeak / 1e6).toFixed(0)} MB`);
  console.log(`  bare file streams ${baseSeconds.toFixed(1)} s   ${Math.round(lines / baseSeconds).toLocaleString()} lines/s   ${(mb / baseSeconds).toFixed(0)} MB/s   peak RSS ${(peak / 1e6).toFixed(0)} MB`);
  console.log(`  ${lines.toLocaleString()} lines, ${mb.toFixed(0)} MB; generation costs ${(seconds / baseSeconds).toFixed(1)}× the bare write`);
  for (const name of REGISTRY_NAMES) console.log(`    ${name.padEnd(26)} ${manifest.counts[name].toLocaleString().padStart(12)}  ${(sizes[name]! / 1e6).toFixed(1).padStart(8)} MB`);
} finally {
  clearInterval(sampler);
  await fsp.rm(root, { recursive: true, force: true });
}
