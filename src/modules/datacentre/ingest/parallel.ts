import os from 'node:os';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { csvLayout, csvPieces, type CsvLayout } from './csv';
import { detectEncoding, SNIFF_BYTES } from './detect-encoding';
import { ndjsonPieceRows, ndjsonPieces } from './ndjson';
import { PIECE_BYTES, type FilePiece } from './pieces';
import { UnreadableFileError } from './raw-row';
import { readCsvStream, readHead, type ReadInfo } from './readers';
import { readInThread, type BatchReader, type ValidatedChunk, type ValidatorSetup } from './validate';
import { dcMessage } from '../messages';
import type { Message } from '../../../platform/i18n/messages';

/**
 * Reading a large NDJSON or CSV file on several threads. Parsing and validating every field is
 * most of an import's work (several µs a row on one core: a million people took ~5 s of 7 before any
 * database work), and a file's pieces of whole records can be read independently: this thread
 * cuts the stream into pieces (`pieces.ts`), workers parse and validate them into COPY text,
 * and their chunks come back in the file's order. A file smaller than a few pieces is read in
 * this thread: starting workers would cost more than they save.
 */

/** A worker's answer about one piece. */
export type PieceAnswer = { seq: number; chunk: ValidatedChunk } | { seq: number; unreadable: Message } | { seq: number; failed: string };

/** How a worker reads its pieces. */
export type PieceFormat = { format: 'ndjson' } | { format: 'csv'; layout: CsvLayout };

/** What a worker is started with. */
export interface WorkerSetup {
  setup: ValidatorSetup;
  format: PieceFormat;
}

function workerCount(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/**
 * An NDJSON file's rows, validated on worker threads when the file is larger than a few
 * pieces (`inThreadBytes`, by default four).
 *
 * @example
 * runBatch(deps, { …, read: readNdjsonInWorkers(fs.createReadStream('people.ndjson'), info) });
 */
export function readNdjsonInWorkers(input: Readable, info: ReadInfo, options: { workers?: number; pieceBytes?: number; inThreadBytes?: number } = {}): BatchReader {
  const pieceBytes = options.pieceBytes ?? PIECE_BYTES;
  return (setup) => readPieces(input, info, setup, { workers: options.workers ?? workerCount(), pieceBytes, inThreadBytes: options.inThreadBytes ?? 4 * pieceBytes });
}

async function* readPieces(input: Readable, info: ReadInfo, setup: ValidatorSetup, options: { workers: number; pieceBytes: number; inThreadBytes: number }): AsyncGenerator<ValidatedChunk> {
  info.encoding = 'utf-8';
  const pieces = ndjsonPieces(input, options.pieceBytes, (n) => (info.bytes += n));
  // The first pieces, up to the size worth starting workers for.
  const head: FilePiece[] = [];
  let headBytes = 0;
  let more = true;
  while (headBytes <= options.inThreadBytes) {
    const next = await pieces.next();
    if (next.done) {
      more = false;
      break;
    }
    head.push(next.value);
    headBytes += next.value.bytes.length;
  }
  if (!more) {
    yield* readInThread(ndjsonPieceRows(head))(setup);
    return;
  }
  yield* inWorkers(
    (async function* () {
      yield* head;
      yield* pieces;
    })(),
    { setup, format: { format: 'ndjson' } },
    options.workers,
  );
}

/**
 * A CSV file's rows, validated on worker threads when the file is larger than a few pieces
 * (`inThreadBytes`, by default four) and its layout allows cutting it (`csvLayout`); else read
 * as a stream in this thread, as `readRows` does.
 *
 * @example
 * runBatch(deps, { …, read: readCsvInWorkers(fs.createReadStream('people.csv'), info) });
 */
export function readCsvInWorkers(input: Readable, info: ReadInfo, options: { workers?: number; pieceBytes?: number; inThreadBytes?: number } = {}): BatchReader {
  const pieceBytes = options.pieceBytes ?? PIECE_BYTES;
  return (setup) => readCsvPieces(input, info, setup, { workers: options.workers ?? workerCount(), pieceBytes, inThreadBytes: options.inThreadBytes ?? 4 * pieceBytes });
}

async function* readCsvPieces(input: Readable, info: ReadInfo, setup: ValidatorSetup, options: { workers: number; pieceBytes: number; inThreadBytes: number }): AsyncGenerator<ValidatedChunk> {
  // At least what the encoding is detected from, which holds the header of any sensible file.
  const { head: sample, complete, rest: chunks } = await readHead(input, Math.max(options.inThreadBytes, SNIFF_BYTES) + 1);
  info.bytes += sample.length;
  const layout = complete ? null : csvLayout(sample, detectEncoding(sample, false));
  const rest = async function* (): AsyncGenerator<Buffer> {
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      info.bytes += next.value.length;
      yield next.value;
    }
  };
  if (!layout) {
    const replayed = async function* () {
      yield sample;
      yield* rest();
    };
    yield* readInThread(readCsvStream(replayed(), info))(setup);
    return;
  }
  info.encoding = layout.encoding;
  const body = async function* () {
    yield sample.subarray(layout.bodyStart);
    yield* rest();
  };
  yield* inWorkers(csvPieces(body(), layout, options.pieceBytes), { setup, format: { format: 'csv', layout } }, options.workers);
}

// A worker's heap: a small young generation (V8's default let each worker's grow to tens of MB
// of garbage between collections: two workers took a 1 GB import from 273 to 435 MB), and
// room for a long line (a line of a few tens of MB; longer ones fail the batch, not the process).
const WORKER_HEAP = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 };

// The worker's code: `parallel-worker.ts` and what it imports, bundled into one script by
// esbuild (which tsx runs on) the first time a process needs it. A worker running plain
// JavaScript starts in ~12 MB; one registering tsx's loader took ~32 MB.
let workerCode: Promise<string> | undefined;
function bundledWorker(): Promise<string> {
  workerCode ??= (async () => {
    const { build } = await import('esbuild');
    const entry = fileURLToPath(new URL('./parallel-worker.ts', import.meta.url));
    const result = await build({ entryPoints: [entry], bundle: true, format: 'cjs', platform: 'node', target: 'node20', write: false, logLevel: 'silent' });
    return result.outputFiles[0]!.text;
  })();
  workerCode.catch(() => (workerCode = undefined));
  return workerCode;
}

async function* inWorkers(pieces: AsyncIterable<FilePiece>, workerSetup: WorkerSetup, count: number): AsyncGenerator<ValidatedChunk> {
  const code = await bundledWorker();
  const waiting = new Map<number, { resolve: (answer: PieceAnswer) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const pool = Array.from({ length: count }, () => {
    const worker = new Worker(code, { eval: true, workerData: workerSetup, resourceLimits: WORKER_HEAP });
    worker.on('message', (answer: PieceAnswer) => {
      const w = waiting.get(answer.seq);
      waiting.delete(answer.seq);
      w?.resolve(answer);
    });
    worker.on('error', (error: Error & { code?: string }) =>
      failAll(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new UnreadableFileError(dcMessage('dc.file.recordTooLong')) : error),
    );
    worker.on('exit', (exitCode) => {
      if (exitCode !== 0) failAll(new Error(`a worker reading the file stopped (exit code ${exitCode})`));
    });
    return worker;
  });
  // Pieces in flight, in the file's order; a few per worker keep each busy while this thread
  // waits for the earliest.
  const inFlight: Promise<PieceAnswer>[] = [];
  let seq = 0;
  const dispatch = (piece: FilePiece) => {
    const n = seq++;
    inFlight.push(new Promise<PieceAnswer>((resolve, reject) => waiting.set(n, { resolve, reject })));
    pool[n % count]!.postMessage({ seq: n, bytes: piece.bytes, firstRow: piece.firstRow }, [piece.bytes.buffer]);
  };
  const answer = async (): Promise<ValidatedChunk> => {
    const a = await inFlight.shift()!;
    if ('unreadable' in a) throw new UnreadableFileError(a.unreadable);
    if ('failed' in a) throw new Error(a.failed);
    return a.chunk;
  };
  try {
    for await (const piece of pieces) {
      if (inFlight.length >= 2 * count) yield await answer();
      dispatch(piece);
    }
    while (inFlight.length > 0) yield await answer();
  } finally {
    for (const p of inFlight) p.catch(() => {});
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
