/**
 * Where the generator's NDJSON lines go. A sink hands out one line writer per registry; the
 * generator calls `ready()` between entities and waits when it returns a promise, so output
 * never piles up in memory faster than the disk takes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RegistryName } from './records';

/** Takes the lines (without '\n') of one registry. */
export type LineWriter = (line: string) => void;

/** A destination for the city's registries. */
export interface LineSink {
  /** The writer of a registry's lines; called once per registry, before its first line. */
  open(registry: RegistryName): LineWriter;
  /** A promise to wait for before producing more lines, or undefined to go on at once. */
  ready(): Promise<void> | undefined;
  /** Writes whatever is buffered and finishes every registry. */
  close(): Promise<void>;
}

/** A sink keeping lines in memory, for small cities and tests. */
export interface MemorySink extends LineSink {
  /** The lines written to a registry so far, in order. */
  lines(registry: RegistryName): readonly string[];
}

/**
 * Keeps every line in memory.
 *
 * @example
 * const sink = createMemorySink();
 * await generateCity({ people: 100, seed: 'x' }, sink);
 * sink.lines('people').length; // 100
 */
export function createMemorySink(): MemorySink {
  const byRegistry = new Map<RegistryName, string[]>();
  return {
    open(registry) {
      const lines: string[] = [];
      byRegistry.set(registry, lines);
      return (line) => {
        lines.push(line);
      };
    },
    ready: () => undefined,
    close: async () => {},
    lines: (registry) => byRegistry.get(registry) ?? [],
  };
}

interface FileState {
  stream: fs.WriteStream;
  buffer: string;
  waiting: Promise<void> | null;
}

function drained(state: FileState): Promise<void> {
  const { stream } = state;
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      stream.off('error', fail);
      state.waiting = null;
      resolve();
    };
    const fail = (error: Error) => {
      stream.off('drain', done);
      reject(error);
    };
    stream.once('drain', done);
    stream.once('error', fail);
  });
}

/**
 * Writes `<registry>.ndjson` files into a directory (created if missing), one line per record,
 * '\n' line endings. Lines are gathered into chunks of about `chunkChars` characters before they
 * go to the file stream, and the generator waits while a stream is over its high-water mark.
 *
 * @example
 * const sink = createFileSink('/tmp/city');
 * await generateCity({ people: 1000, seed: 'x' }, sink); // closes the sink
 */
export function createFileSink(outDir: string, options: { chunkChars?: number } = {}): LineSink {
  const chunkChars = options.chunkChars ?? 1 << 20;
  fs.mkdirSync(outDir, { recursive: true });
  const states: FileState[] = [];
  let failure: Error | null = null;

  const flush = (state: FileState) => {
    const chunk = state.buffer;
    state.buffer = '';
    if (!state.stream.write(chunk) && !state.waiting) state.waiting = drained(state);
  };

  return {
    open(registry) {
      const stream = fs.createWriteStream(path.join(outDir, `${registry}.ndjson`), { highWaterMark: 4 * chunkChars });
      const state: FileState = { stream, buffer: '', waiting: null };
      stream.on('error', (error) => {
        failure ??= error;
      });
      states.push(state);
      return (line) => {
        state.buffer += line + '\n';
        if (state.buffer.length >= chunkChars) flush(state);
      };
    },
    ready() {
      if (failure) return Promise.reject(failure);
      let pending: Promise<void>[] | null = null;
      for (const state of states) if (state.waiting) (pending ??= []).push(state.waiting);
      return pending ? Promise.all(pending).then(() => undefined) : undefined;
    },
    async close() {
      await Promise.all(
        states.map(
          (state) =>
            new Promise<void>((resolve, reject) => {
              state.stream.once('error', reject);
              state.stream.end(state.buffer, () => resolve());
              state.buffer = '';
            }),
        ),
      );
      if (failure) throw failure;
    },
  };
}
