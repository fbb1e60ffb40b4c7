/**
 * Load generator, run as its own process so it does not share the server's event loop:
 * GETs `url` with `:id` replaced by a random key, for `seconds`, over `connections`. KEYS is a
 * count (keys `benchKey(0…KEYS-1)`) or `@file` (one key per line).
 * Prints one JSON line: requests/s, latency percentiles (ms), errors and non-2xx count.
 *
 * Usage: node --import tsx bench/kernel/load.ts URL KEYS CONNECTIONS SECONDS [HEADER=VALUE…]
 */
import fs from 'node:fs';
import autocannon from 'autocannon';

const [url, keysArg, connectionsArg, secondsArg, ...headerArgs] = process.argv.slice(2);
if (!url || !keysArg) {
  console.error('usage: load.ts URL KEYS CONNECTIONS SECONDS [HEADER=VALUE…]');
  process.exit(2);
}
const keyList = keysArg.startsWith('@') ? fs.readFileSync(keysArg.slice(1), 'utf8').split('\n').filter(Boolean) : null;
const keys = keyList ? keyList.length : Number(keysArg);
const pickKey = () => {
  const i = Math.floor(Math.random() * keys);
  return keyList ? keyList[i]! : benchKey(i);
};
const headers = Object.fromEntries(headerArgs.map((h) => [h.slice(0, h.indexOf('=')), h.slice(h.indexOf('=') + 1)]));
const target = new URL(url);

const result = await autocannon({
  url: target.origin,
  connections: Number(connectionsArg ?? 50),
  duration: Number(secondsArg ?? 10),
  headers,
  requests: [
    {
      method: 'GET',
      setupRequest: (req) => ({ ...req, path: target.pathname.replace(':id', pickKey()) }),
    },
  ],
});

console.log(
  JSON.stringify({
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }),
);

/** The key of bench row `i` (the same function fills the table). */
export function benchKey(i: number): string {
  return `K${String(i).padStart(8, '0')}`;
}
