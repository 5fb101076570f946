/** What the index orders timers by: due time, then name, so equal due times fire in a stable order. */
export interface IndexedTimer {
  name: string;
  dueAt: string;
}

interface HeapEntry<T extends IndexedTimer> {
  timer: T;
  /** Which write of this name the entry is; an older entry is stale and skipped when it surfaces. */
  version: number;
}

const before = (a: IndexedTimer, b: IndexedTimer): boolean =>
  a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.name < b.name);

/**
 * The pending timers by due time: a binary min-heap beside a map by name. The local runtime fires
 * timers one at a time, each at its own due time; finding the next one is O(log T) here, where
 * listing and sorting every pending timer per fire made advancing the clock O(T²).
 *
 * A rescheduled or cancelled timer's old heap entry stays until it reaches the top (lazy deletion);
 * the heap is rebuilt when stale entries outnumber live ones, so memory stays O(T).
 */
export class TimerIndex<T extends IndexedTimer> {
  #heap: HeapEntry<T>[] = [];
  readonly #live = new Map<string, HeapEntry<T>>();
  #versions = 0;

  get size(): number {
    return this.#live.size;
  }

  clear(): void {
    this.#heap = [];
    this.#live.clear();
  }

  put(timer: T): void {
    const entry = { timer, version: ++this.#versions };
    this.#live.set(timer.name, entry);
    this.#push(entry);
    this.#compactIfStale();
  }

  delete(name: string): void {
    if (this.#live.delete(name)) this.#compactIfStale();
  }

  /** The timer due first, without removing it. */
  peek(): T | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (!top) return undefined;
      if (this.#live.get(top.timer.name) === top) return top.timer;
      this.#pop();
    }
  }

  /** Every pending timer in firing order (for listing; O(T log T)). */
  sorted(): T[] {
    return [...this.#live.values()].map((e) => e.timer).sort((a, b) => (before(a, b) ? -1 : 1));
  }

  #compactIfStale(): void {
    if (this.#heap.length <= 64 || this.#heap.length <= 2 * this.#live.size) return;
    this.#heap = [];
    for (const entry of this.#live.values()) this.#push(entry);
  }

  #push(entry: HeapEntry<T>): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!.timer, heap[parent]!.timer)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && before(heap[left]!.timer, heap[least]!.timer)) least = left;
      if (right < heap.length && before(heap[right]!.timer, heap[least]!.timer)) least = right;
      if (least === i) return;
      [heap[i], heap[least]] = [heap[least]!, heap[i]!];
      i = least;
    }
  }
}
