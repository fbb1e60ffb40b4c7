import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { BatchProgress } from '../modules/datacentre';
import { PLATFORM_PRINCIPAL, ROLES } from '../platform/access';
import { ConfigError, loadConfig } from '../platform/config';
import { DataDirLockedError } from '../platform/db/database';
import { MigrationError } from '../platform/db/migrate';
import { Problem } from '../platform/http/problem';
import { VERSION } from '../platform/version';

// The platform, its modules and flows load when a command needs them: `ludao --help` and a bad
// argument answer without loading (and transpiling) the whole server first.
const loadCore = () => import('../core');
const flows = async () => ({ ...(await import('../flows/demo-city')), ...(await import('../flows/demo-exchange')), ...(await import('../flows/demo-admission')), ...(await import('../flows/demo-maternity')), ...(await import('../flows/demo-opendata')) });

/** A bad argument found inside an action (Commander reports those it finds while parsing). */
class UsageError extends Error {}

/**
 * The `ludao` command line. Every failure ends in one readable line on stderr and a non-zero
 * exit code; `--help` works on every command.
 */
const program = new Command()
  .name('ludao')
  .description('Ludao (鹭岛): a city government data platform')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1.`);
  return n;
};

program
  .command('start')
  .description('Run the platform: migrate, load first-start data, serve the API and web app')
  .option('-p, --port <port>', 'port to listen on (default: $PORT or 8080)')
  .option('-H, --host <host>', 'address to listen on (default: $HOST or 0.0.0.0)')
  .action(async (opts: { port?: string; host?: string }) => {
    const config = loadConfig({ ...process.env, ...(opts.port ? { PORT: opts.port } : {}), ...(opts.host ? { HOST: opts.host } : {}) });
    const { createLudao } = await import('../app');
    const ludao = await createLudao(config);
    const address = await ludao.listen();
    const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
    console.log(`Ludao ${VERSION} listening on ${address.replace('0.0.0.0', 'localhost')} — database: ${where}`);
    if (!ludao.servesWeb) console.log('The web app is not built (web/dist is missing): run `npm run build:web`. The API is served.');
    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      console.log(`${signal}: shutting down`);
      await ludao.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    if (config.demoPeople > 0) {
      // The demo city loads while the server already answers; re-runs apply only what is missing.
      const started = Date.now();
      const { loadDemoCity, seedDemoExchange, seedDemoAdmission, seedDemoMaternity, seedDemoOpenData } = await flows();
      loadDemoCity(ludao.ctx, { people: config.demoPeople, seed: 'xiamen', dir: path.join(config.dataDir, `demo-city-${config.demoPeople}`) })
        .then(async (report) => {
          const fresh = report.resources.filter((r) => !r.replayed);
          if (fresh.length > 0) console.log(`Demo city of ${report.people.toLocaleString()} people loaded into ${fresh.length} resources in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
          if (config.seedDemo && (await seedDemoExchange(ludao))) console.log('Demo exchange: a channel, a pending request and a few dozen logged calls.');
          const applications = config.seedDemo ? await seedDemoAdmission(ludao) : 0;
          if (applications > 0) console.log(`Demo school admission: an open round with ${applications} applications for edu.handler to verify.`);
          const claims = config.seedDemo ? await seedDemoMaternity(ludao) : 0;
          if (claims > 0) console.log(`Demo maternity claims: ${claims} filed, two waiting for medsec.handler; citizen can file their own.`);
          const opened = config.seedDemo ? await seedDemoOpenData(ludao) : 0;
          if (opened > 0) console.log(`Demo open data: ${opened} datasets published on the portal.`);
        })
        .catch((error: Error) => console.error(`ludao: the demo city could not be loaded: ${error.message}`));
    }
  });

program
  .command('migrate')
  .description('Bring every table up to date (also done on start)')
  .action(async () => {
    const { openConfiguredDatabase, migrateLudao } = await loadCore();
    const database = await openConfiguredDatabase(loadConfig());
    try {
      const reports = await migrateLudao(database.db);
      const applied = reports.flatMap((r) => r.applied.map((m) => `${r.owner}/${m}`));
      console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Everything is up to date.');
    } finally {
      await database.close();
    }
  });

program
  .command('demo')
  .description('Write a synthetic city (no real personal data) as NDJSON, one file per registry')
  .addOption(new Option('--people <n>', 'number of people').argParser(positiveInt('--people')).default(20000))
  .option('--seed <seed>', 'seed: the same seed writes byte-identical files', 'xiamen')
  .option('--out <dir>', 'output directory', 'data/demo-city')
  .option('--as-of <date>', 'reference date of the city (YYYY-MM-DD)')
  .option('--load', 'also load it into the data centre (stop the server first on the embedded database)')
  .action(async (opts: { people: number; seed: string; out: string; asOf?: string; load?: boolean }) => {
    if (opts.asOf && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new UsageError('--as-of must be a date like 2026-06-30.');
    const outDir = path.resolve(opts.out);
    const started = Date.now();
    let last = 0;
    const { writeCity } = await import('../synth');
    const summary = await writeCity({
      people: opts.people,
      seed: opts.seed,
      outDir,
      ...(opts.asOf ? { asOf: opts.asOf } : {}),
      onProgress: (p) => {
        if (process.stderr.isTTY && Date.now() - last > 200) {
          last = Date.now();
          process.stderr.write(`\r${p.registry}: ${p.written.toLocaleString()}   `);
        }
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    console.log(`Wrote a city of ${opts.people.toLocaleString()} people (seed "${opts.seed}") to ${outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
    for (const [registry, count] of Object.entries(summary.counts)) console.log(`  ${registry.padEnd(24)} ${count.toLocaleString()}`);
    if (!opts.load) return;
    if (opts.asOf) throw new UsageError('--load takes the default reference date; leave out --as-of.');
    const [{ openLudaoCore }, { loadDemoCity }] = await Promise.all([loadCore(), import('../flows/demo-city')]);
    const core = await openLudaoCore(loadConfig());
    try {
      const loadStarted = Date.now();
      const report = await loadDemoCity(core.ctx, { people: opts.people, seed: opts.seed, dir: outDir, onProgress: progressLine });
      clearProgress();
      for (const r of report.resources) console.log(`  ${r.code.padEnd(38)} ${r.rows.toLocaleString().padStart(12)} rows  ${r.replayed ? 'already loaded' : r.status}`);
      console.log(`Loaded in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s.`);
    } finally {
      await core.close();
    }
  });

program
  .command('import')
  .description('Import a file (CSV in UTF-8/GBK/GB18030, NDJSON, XLSX) into a resource as one batch')
  .argument('<resource>', 'resource code, e.g. population.person')
  .argument('<file>', 'the file; its extension (.csv, .ndjson, .xlsx) says its format')
  .option('--key <key>', 'idempotency key: sending the same key again changes nothing (default: file name, size and time)')
  .option('--delete', 'the rows name records to delete (by key)')
  .addOption(new Option('--on-invalid <what>', 'skip invalid rows, or refuse the whole batch').choices(['skip', 'reject']).default('skip'))
  .action(async (code: string, file: string, opts: { key?: string; delete?: boolean; onInvalid: 'skip' | 'reject' }) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) throw new UsageError(`no such file: ${file}`);
    const [{ openLudaoCore }, { createDatacentreService }] = await Promise.all([loadCore(), import('../modules/datacentre')]);
    const core = await openLudaoCore(loadConfig(), { seed: true });
    try {
      const datacentre = createDatacentreService(core.ctx);
      const size = stat.size;
      const { batch, replayed } = await datacentre.importFile(PLATFORM_PRINCIPAL, {
        code,
        input: fs.createReadStream(file),
        fileName: path.basename(file),
        idempotencyKey: opts.key ?? `${path.basename(file)}:${size}:${stat.mtimeMs}`,
        operation: opts.delete ? 'delete' : 'upsert',
        onInvalid: opts.onInvalid,
        source: 'cli',
        onProgress: (p) => progressLine(code, p, size),
        // The command line speaks English (its own lines are English).
        lang: 'en',
      });
      clearProgress();
      if (replayed) console.log(`Batch ${batch.id} with this key was applied before (${batch.finishedAt}); nothing changed.`);
      const figures = `${batch.rowsRead.toLocaleString()} rows read, ${batch.rowsInvalid.toLocaleString()} invalid; ${batch.inserted} inserted, ${batch.updated} updated, ${batch.unchanged} unchanged, ${batch.deleted} deleted`;
      if (batch.status === 'applied') console.log(`Applied batch ${batch.id} to ${code}${batch.encoding ? ` (${batch.encoding})` : ''}: ${figures}.`);
      else {
        console.error(`ludao: batch ${batch.id} was ${batch.status}: ${batch.message ?? ''} (${figures})`);
        process.exitCode = 1;
      }
      if (batch.rowsInvalid > 0) {
        const errors = await datacentre.batchErrors(PLATFORM_PRINCIPAL, batch.id, { limit: 10 }, 'en');
        for (const e of errors) console.error(`  row ${e.rowNumber}${e.field ? `, ${e.field}` : ''}: ${e.reason}`);
        if (batch.rowsInvalid > errors.length) console.error(`  … and ${batch.rowsInvalid - errors.length} more (GET /api/dc/batches/${batch.id}/errors?format=csv)`);
      }
    } finally {
      await core.close();
    }
  });

let progressShown = false;
let lastLogged = 0;
function progressLine(code: string, p: BatchProgress, totalBytes?: number): void {
  if (!process.stderr.isTTY) {
    // In logs: the first figure at once, then one line a second at most.
    if (lastLogged !== 0 && Date.now() - lastLogged < 1000 && p.phase === 'reading') return;
    lastLogged = Date.now();
    process.stderr.write(`${code}: ${p.rowsRead.toLocaleString('en')} rows read${p.phase === 'applying' ? ', applying' : ''}\n`);
    return;
  }
  const width = 30;
  const share = totalBytes ? Math.min(1, p.bytesRead / totalBytes) : 0;
  const bar = totalBytes ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${(share * 100).toFixed(0).padStart(3)}% ` : '';
  process.stderr.write(`\r${code} ${bar}${p.rowsRead.toLocaleString()} rows ${p.phase === 'applying' ? '(applying…)' : ''}\x1b[K`);
  progressShown = true;
}
function clearProgress(): void {
  if (progressShown && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  progressShown = false;
}

const audit = program.command('audit').description('The hash-chained audit log');
audit
  .command('verify')
  .description('Recompute the chain; exit 0 when intact, 1 naming the first entry changed, removed or out of order')
  .action(async () => {
    const { openLudaoCore } = await loadCore();
    const core = await openLudaoCore(loadConfig(), { seed: false });
    try {
      const result = await core.ctx.audit.verify();
      if (result.ok) {
        console.log(`Audit log intact: ${result.entries} entries${result.head ? `, head #${result.head.seq} ${result.head.hash}` : ''}.`);
      } else {
        console.error(`Audit log BROKEN at entry ${result.firstProblem!.seq}: ${result.firstProblem!.message}.`);
        process.exitCode = 1;
      }
    } finally {
      await core.close();
    }
  });

const users = program.command('users').description('User accounts');
users
  .command('add')
  .description('Create a user account')
  .requiredOption('--username <name>', 'sign-in name (letters, digits, . _ -)')
  .requiredOption('--name <display>', 'display name, e.g. 张三')
  .addOption(new Option('--kind <kind>', 'kind of account').choices(['staff', 'citizen', 'enterprise', 'team']).default('staff'))
  .option('--org <code>', 'organisation code, e.g. xm.hrss')
  .addOption(new Option('--role <role...>', 'one or more roles').choices([...ROLES]).makeOptionMandatory())
  .option('--password <password>', 'initial password (or set LUDAO_PASSWORD, which stays out of shell history)')
  .action(async (opts: { username: string; name: string; kind: 'staff' | 'citizen' | 'enterprise' | 'team'; org?: string; role: string[]; password?: string }) => {
    const password = opts.password ?? process.env.LUDAO_PASSWORD;
    if (!password) throw new UsageError('give --password or set LUDAO_PASSWORD.');
    const [{ openLudaoCore }, { createIdentityService }] = await Promise.all([loadCore(), import('../modules/identity')]);
    const core = await openLudaoCore(loadConfig());
    try {
      const identity = createIdentityService(core.ctx);
      const { id } = await identity.createUser(PLATFORM_PRINCIPAL, {
        username: opts.username,
        displayName: opts.name,
        kind: opts.kind,
        orgCode: opts.org ?? null,
        roles: opts.role,
        password,
      });
      console.log(`Created user ${opts.username.toLowerCase()} (${id}) with roles ${opts.role.join(', ')}.`);
    } finally {
      await core.close();
    }
  });

const keys = program.command('keys').description('API keys of department systems');
keys
  .command('create')
  .description('Issue an API key for a department system; it is printed once')
  .requiredOption('--org <code>', 'organisation code of the department, e.g. xm.hrss')
  .requiredOption('--system <name>', 'the calling system, e.g. 社保核验系统')
  .addOption(new Option('--days <n>', 'days until it expires (1–366)').argParser(positiveInt('--days')).default(90))
  .action(async (opts: { org: string; system: string; days: number }) => {
    if (opts.days > 366) throw new UsageError('--days must be at most 366.');
    const [{ openLudaoCore }, { createIdentityService }] = await Promise.all([loadCore(), import('../modules/identity')]);
    const core = await openLudaoCore(loadConfig());
    try {
      const identity = createIdentityService(core.ctx);
      const created = await identity.createApiKey(PLATFORM_PRINCIPAL, { orgCode: opts.org, systemName: opts.system, expiresInDays: opts.days });
      console.log(`API key for ${created.systemName} (${created.orgCode}), expires ${created.expiresAt}. It is shown only now:`);
      console.log(created.key);
    } finally {
      await core.close();
    }
  });

program
  .command('verify-receipt')
  .description("Check a sandbox receipt's Ed25519 signature offline; exit 0 when valid, 1 when not")
  .argument('<file>', 'the receipt (JSON, as GET /api/sandbox/receipts/:id gives it)')
  .option('--key <file>', 'the public keys: a PEM, or the JSON of GET /api/sandbox/receipt-keys (default: read from this installation\'s database)')
  .action(async (file: string, opts: { key?: string }) => {
    const receiptText = readTextFile(file, 'receipt');
    const { checkReceipt, ReceiptSigner } = await import('../modules/sandbox');
    let keysText: string;
    if (opts.key) {
      keysText = readTextFile(opts.key, 'key file');
    } else {
      const { openLudaoCore } = await loadCore();
      const core = await openLudaoCore(loadConfig(), { seed: false });
      try {
        const keys = await new ReceiptSigner(core.ctx.database).publicKeys();
        if (keys.length === 0) throw new UsageError('this installation has no signing key yet (the first `ludao start` makes it); give the public keys with --key');
        keysText = JSON.stringify(keys);
      } finally {
        await core.close();
      }
    }
    const check = checkReceipt(receiptText, keysText);
    if (!check.ok) throw new UsageError(check.line);
    console.log(check.line);
  });

// Reads a small text file named on the command line, or says in one line why it cannot.
function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UsageError(e.code === 'ENOENT' ? `no ${what} at ${file}` : `cannot read the ${what} ${file} (${e.code ?? e.message})`);
  }
}

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its one line (or the help) already.
      process.exitCode = error.exitCode;
      return;
    }
    process.exitCode = 1;
    console.error(`ludao: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  // A field is named as the API names it (`/body/orgCode`); here it is an option's value.
  if (error instanceof Problem) return (error.detail ?? error.title).replace(/(^|; )\/body\//g, '$1');
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof MigrationError) return error.message;
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ECONNREFUSED') return `cannot reach the database at DATABASE_URL (${e.message})`;
  if (e?.code === 'EADDRINUSE') return `the port is already in use (${e.message}); set PORT or --port`;
  return e?.message ?? String(error);
}

await main();
