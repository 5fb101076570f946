import { describe, expect, it } from "vitest";
import { TimerIndex } from "../../../infra/local/timer-index.ts";

const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 0, minute)).toISOString();

/** A small deterministic generator, so the randomized check is the same on every run. */
function* numbers(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x;
  }
}

describe("the local runtime's timer index", () => {
  it("gives the timer due first, equal due times by name", () => {
    const index = new TimerIndex();
    index.put({ name: "b", dueAt: at(5) });
    index.put({ name: "c", dueAt: at(1) });
    index.put({ name: "a", dueAt: at(5) });
    expect(index.peek()?.name).toBe("c");
    index.delete("c");
    expect(index.peek()?.name).toBe("a");
    expect(index.sorted().map((t) => t.name)).toEqual(["a", "b"]);
    expect(index.size).toBe(2);
  });

  it("a rescheduled timer fires at its new time only; a cancelled one never", () => {
    const index = new TimerIndex();
    index.put({ name: "x", dueAt: at(1) });
    index.put({ name: "y", dueAt: at(2) });
    index.put({ name: "x", dueAt: at(3) });
    index.delete("y");
    expect(index.peek()).toEqual({ name: "x", dueAt: at(3) });
    index.delete("x");
    expect(index.peek()).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it("agrees with sorting every pending timer, through thousands of puts, reschedules and deletes", () => {
    const index = new TimerIndex();
    const model = new Map<string, string>();
    const random = numbers(7);
    const next = () => random.next().value as number;
    for (let step = 0; step < 20_000; step++) {
      const name = `t-${next() % 500}`;
      const op = next() % 4;
      if (op === 0) {
        index.delete(name);
        model.delete(name);
      } else if (op === 3) {
        const first = index.peek();
        const expected = [...model.entries()].sort(([an, ad], [bn, bd]) =>
          ad === bd ? (an < bn ? -1 : 1) : ad < bd ? -1 : 1,
        )[0];
        expect(first && [first.name, first.dueAt]).toEqual(expected);
        if (first) {
          index.delete(first.name);
          model.delete(first.name);
        }
      } else {
        const dueAt = at(next() % 10_000);
        index.put({ name, dueAt });
        model.set(name, dueAt);
      }
      expect(index.size).toBe(model.size);
    }
  });
});
