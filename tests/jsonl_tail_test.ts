/**
 * `JsonlTail` driven directly: `poke()` reads what is new now, so these
 * tests need no waiting for the watcher (`jsonl_watcher_test.ts` covers the
 * watcher-driven paths through `watchJsonl`).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { JsonlEntry } from "../lib/jsonl/lines.ts";
import { type JsonlResetReason, JsonlTail } from "../lib/jsonl/tail.ts";
import { withTempDir } from "./support/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) =>
  withTempDir("aimax-tail-", fn);

async function append(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { append: true });
}

Deno.test("tail: entries reach every listener in order; offset is past the last complete line", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "t.jsonl");
    await Deno.writeTextFile(path, '{"old":0}\n');
    const tail = new JsonlTail(path);
    const a: unknown[] = [];
    const b: unknown[] = [];
    const toB = (e: JsonlEntry) => b.push(e.value);
    tail.add((e) => a.push(e.value));
    tail.add(toB);
    assert.equal(tail.listenerCount, 2);
    await tail.start();
    // Without fromOffset it starts at the end: the old line is not read.
    assert.equal(tail.offset, 10);
    await append(path, '{"n":1}\n{"n":2}\n{"n":');
    await tail.poke();
    tail.remove(toB);
    await append(path, "3}\n");
    await tail.poke();
    await tail.close();
    assert.deepEqual(a, [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.deepEqual(b, [{ n: 1 }, { n: 2 }]);
    assert.equal(tail.offset, 10 + 3 * 8);
  });
});

Deno.test("tail: a stale start offset starts over at 0 with onReset", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "t.jsonl");
    await Deno.writeTextFile(path, '{"n":1}\n');
    const resets: JsonlResetReason[] = [];
    const seen: unknown[] = [];
    const tail = new JsonlTail(path, {
      fromOffset: 100,
      onReset: (reason) => resets.push(reason),
    });
    tail.add((e) => seen.push(e.value));
    await tail.start();
    await tail.close();
    assert.deepEqual(resets, ["truncated"]);
    assert.deepEqual(seen, [{ n: 1 }]);
  });
});

Deno.test("tail: nothing is delivered after close; close twice is fine", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "t.jsonl");
    const seen: unknown[] = [];
    const tail = new JsonlTail(path, { fromOffset: 0 });
    tail.add((e) => seen.push(e.value));
    await tail.start();
    await append(path, '{"n":1}\n');
    await tail.poke();
    await tail.close();
    await tail.close();
    await append(path, '{"n":2}\n');
    await tail.poke();
    assert.deepEqual(seen, [{ n: 1 }]);
    assert.equal(tail.listenerCount, 0);
  });
});

Deno.test("tail: a throwing listener goes to onError; the others still get the entry", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "t.jsonl");
    const errors: unknown[] = [];
    const seen: unknown[] = [];
    const tail = new JsonlTail(path, {
      fromOffset: 0,
      onError: (error) => errors.push(error),
    });
    tail.add(() => {
      throw new Error("listener broke");
    });
    tail.add((e) => seen.push(e.value));
    await tail.start();
    await append(path, '{"n":1}\n');
    await tail.poke();
    await tail.close();
    assert.deepEqual(seen, [{ n: 1 }]);
    assert.equal((errors[0] as Error).message, "listener broke");
  });
});

Deno.test("tail: a start offset that is not a byte offset is a RangeError", () => {
  for (const fromOffset of [-1, 1.5, Number.NaN]) {
    assert.throws(
      () => new JsonlTail("/tmp/x.jsonl", { fromOffset }),
      RangeError,
    );
  }
});
