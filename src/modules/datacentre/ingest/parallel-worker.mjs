// A worker reading pieces of an NDJSON file (parallel.ts). Plain JavaScript, so it starts the
// same under `ludao` and under the test runner: it registers tsx's loader, then loads the
// TypeScript that does the work.
import { register } from 'tsx/esm/api';

register();
await import('./parallel-worker-main.ts');
