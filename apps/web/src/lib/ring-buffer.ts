/**
 * Fixed-capacity FIFO used by the live charts: pushing past capacity overwrites the oldest
 * item, so memory stays flat however long a session runs.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Oldest first; index 0 is the oldest item still held. */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.start + index) % this.capacity];
  }

  last(): T | undefined {
    return this.count === 0 ? undefined : this.at(this.count - 1);
  }

  /** Removes items from the front while `predicate` holds (e.g. older than the chart window). */
  dropWhile(predicate: (item: T) => boolean): number {
    let dropped = 0;
    while (this.count > 0 && predicate(this.items[this.start] as T)) {
      this.items[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count--;
      dropped++;
    }
    return dropped;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /**
   * Copies the items, oldest first, into `out` (reused when given, so a chart dataset's array
   * can be refilled in place without allocating a new one every second).
   */
  toArray<U = T>(out: U[] = [], map?: (item: T) => U): U[] {
    out.length = this.count;
    for (let i = 0; i < this.count; i++) {
      const item = this.items[(this.start + i) % this.capacity] as T;
      out[i] = map ? map(item) : (item as unknown as U);
    }
    return out;
  }
}
