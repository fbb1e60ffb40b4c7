import { preparePgliteTemplate } from '../src/platform/db/testing';

/** Runs once before the suite: makes the PGlite template every test file starts from. */
export async function setup(): Promise<void> {
  await preparePgliteTemplate();
}
