import { parentPort, workerData } from 'node:worker_threads';
import { csvRows } from './csv';
import { ndjsonRows } from './ndjson';
import type { PieceAnswer, WorkerSetup } from './parallel';
import type { FilePiece } from './pieces';
import { UnreadableFileError } from './raw-row';
import { RowValidator, validatePiece } from './validate';

// A worker of `parallel.ts` (which bundles this file and its imports into the worker's script):
// validates each piece it is sent and answers with its chunk.
const { setup, format } = workerData as WorkerSetup;
const validator = new RowValidator(setup.schema, setup.operation);
const rows = (piece: FilePiece) => (format.format === 'csv' ? csvRows(piece, format.layout) : ndjsonRows(piece.bytes, piece.firstRow));
parentPort!.on('message', (piece: FilePiece & { seq: number }) => {
  let answer: PieceAnswer;
  try {
    answer = { seq: piece.seq, chunk: validatePiece(rows(piece), validator, piece.bytes.length) };
  } catch (error) {
    answer = error instanceof UnreadableFileError ? { seq: piece.seq, unreadable: error.reason } : { seq: piece.seq, failed: (error as Error).message };
  }
  parentPort!.postMessage(answer, 'chunk' in answer ? [answer.chunk.copy.buffer] : []);
});
