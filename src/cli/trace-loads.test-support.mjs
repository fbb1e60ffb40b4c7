// Loaded with `node --import` by a test: appends the URL of every module the process loads to
// the file named by LUDAO_TRACE_LOADS. On the main thread it registers itself as the loader
// hooks module; in the hooks thread it is the hook.
import fs from 'node:fs';
import process from 'node:process';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url);

export async function load(url, context, nextLoad) {
  fs.appendFileSync(process.env.LUDAO_TRACE_LOADS, `${url}\n`);
  return nextLoad(url, context);
}
