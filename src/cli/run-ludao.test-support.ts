import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve('bin/ludao.js');

/**
 * Runs `ludao …` as a user would, in its own process; never throws, returns exit code and
 * output. `ownDatabase` drops the suite's DATABASE_URL, so a command that opens a database gets
 * a data directory of its own.
 */
export async function runLudao(
  args: string[],
  env: Record<string, string> = {},
  options: { timeoutMs?: number; ownDatabase?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = { ...process.env };
  if (options.ownDatabase) delete base.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...base, ...env, LOG_LEVEL: 'silent' }, timeout: options.timeoutMs ?? 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout, stderr: e.stderr };
  }
}
