import { readFileSync } from 'node:fs';

/** Ludao's version, from package.json (a light module: the CLI reads it without loading the server). */
export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
