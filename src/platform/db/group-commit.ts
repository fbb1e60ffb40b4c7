/**
 * Group commit: callers that arrive while a write is in flight share the next write, so a
 * busy process makes one database round trip for many callers. Each caller's promise settles
 * when the write holding its item has committed (or failed).
 *
 * @example
 * const log = new GroupCommit<Row>((rows) => insertRows(db, rows));
 * await log.add(row); // stored, together with whatever else arrived meanwhile
 */
export class GroupCommit<T> {
  private queue: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private writing = false;
  private scheduled = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 1000,
  ) {}

  /** Queues an item; resolves once it is stored. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Waits until everything queued so far is written. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.writing) {
      await this.flush();
      await new Promise((r) => setImmediate(r));
    }
  }

  // One flush waits for the next turn of the event loop, whatever number of items came meanwhile.
  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      await this.write(batch.map((b) => b.item));
      for (const b of batch) b.resolve();
    } catch (error) {
      for (const b of batch) b.reject(error);
    } finally {
      this.writing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
