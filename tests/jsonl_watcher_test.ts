import assert from "node:assert/strict";
import { join } from "node:path";
import type { JsonlEntry } from "../lib/jsonl/lines.ts";
import { readJsonl } from "../lib/jsonl/reader.ts";
import type { JsonlResetReason } from "../lib/jsonl/tail.ts";
import { sharedWatcherCount, watchJsonl } from "../lib/jsonl/watcher.ts";
import { mulberry32 } from "./support/prng.ts";
import { withTempDir } from "./support/temp_dir.ts";

const enc = new TextEncoder();

const withDir = (fn: (dir: string) => Promise<void>) =>
  withTempDir("aimax-watch-", fn);

/** Waits for `condition` to hold, failing with `what` after the deadline. */
async function waitFor(
  what: string | (() => string),
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${typeof what === "string" ? what : what()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Lets a watcher run for a while, to observe that nothing (more) arrives. */
function settle(ms = 150): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function append(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { append: true });
}

function values(entries: JsonlEntry[]): unknown[] {
  return entries.map((e) => e.value);
}

Deno.test("watch: appends delivered in order; partial line held until newline", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "a.jsonl");
    await Deno.writeTextFile(path, '{"old":1}\n');
    const got: JsonlEntry[] = [];
    const stop = await watchJsonl(path, (e) => got.push(e));
    try {
      // Shared watchers start at the end: the old line is not delivered.
      await append(path, '{"n":1}\n{"n":2}\n');
      await waitFor("two entries", () => got.length === 2);
      await append(path, '{"n":3,"s":"é');
      await settle();
      assert.equal(got.length, 2, "partial line was delivered");
      await append(path, '世"}\n');
      await waitFor("third entry", () => got.length === 3);
      assert.deepEqual(values(got), [{ n: 1 }, { n: 2 }, { n: 3, s: "é世" }]);
      assert.equal(got[0].offset, 10);
      assert.equal(got[2].end, (await Deno.stat(path)).size);
      for (let i = 1; i < got.length; i++) {
        assert.equal(got[i].offset, got[i - 1].end);
      }
    } finally {
      await stop();
    }
  });
});

Deno.test("watch: file and two levels of parent dirs that do not exist yet", async () => {
  await withDir(async (dir) => {
    for (const mode of ["stepwise", "at once"]) {
      const path = join(dir, mode.replace(" ", "_"), "a", "b", "t.jsonl");
      const got: JsonlEntry[] = [];
      const stop = await watchJsonl(path, (e) => got.push(e), {
        fromOffset: 0,
      });
      try {
        if (mode === "stepwise") {
          await Deno.mkdir(join(dir, "stepwise"));
          await settle(50);
          await Deno.mkdir(join(dir, "stepwise", "a"));
          await settle(50);
          await Deno.mkdir(join(dir, "stepwise", "a", "b"));
          await settle(50);
        } else {
          await Deno.mkdir(join(dir, "at_once", "a", "b"), { recursive: true });
        }
        await Deno.writeTextFile(path, '{"first":true}\n');
        await waitFor(`first entry (${mode})`, () => got.length === 1);
        await append(path, '{"second":true}\n');
        await waitFor(`second entry (${mode})`, () => got.length === 2);
        assert.deepEqual(values(got), [{ first: true }, { second: true }]);
      } finally {
        await stop();
      }
    }
  });
});

Deno.test("watch: truncation starts over at 0", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "t.jsonl");
    await Deno.writeTextFile(path, '{"n":1}\n{"n":2}\n');
    const got: JsonlEntry[] = [];
    const resets: JsonlResetReason[] = [];
    const stop = await watchJsonl(path, (e) => got.push(e), {
      fromOffset: 0,
      onReset: (r) => resets.push(r),
    });
    try {
      await waitFor("initial entries", () => got.length === 2);
      await Deno.truncate(path, 0);
      await waitFor("reset", () => resets.length === 1);
      await append(path, '{"n":3}\n');
      await waitFor("entry after truncation", () => got.length === 3);
      assert.deepEqual(values(got), [{ n: 1 }, { n: 2 }, { n: 3 }]);
      assert.equal(got[2].offset, 0);
      assert.deepEqual(resets, ["truncated"]);
    } finally {
      await stop();
    }
  });
});

Deno.test("watch: rewrite in place to a longer file is noticed", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "r.jsonl");
    await Deno.writeTextFile(path, '{"n":1}\n');
    const got: JsonlEntry[] = [];
    const resets: JsonlResetReason[] = [];
    const stop = await watchJsonl(path, (e) => got.push(e), {
      fromOffset: 0,
      onReset: (r) => resets.push(r),
    });
    try {
      await waitFor("first entry", () => got.length === 1);
      // Same inode, new content longer than what was read.
      await Deno.writeTextFile(path, '{"m":10}\n{"m":20}\n');
      await waitFor("rewritten entries", () => got.length === 3);
      assert.deepEqual(values(got), [{ n: 1 }, { m: 10 }, { m: 20 }]);
      assert.ok(
        resets.length === 1 && ["rewritten", "truncated"].includes(resets[0]),
        String(resets),
      );
    } finally {
      await stop();
    }
  });
});

Deno.test("watch: a rewrite before the first live read is noticed (from a sentinel)", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "s0.jsonl");
    Deno.writeTextFileSync(path, '{"n":1}\n{"n":2}\n');
    const history = await readJsonl(path);
    const got: JsonlEntry[] = [];
    const resets: JsonlResetReason[] = [];
    const stop = await watchJsonl(path, (e) => got.push(e), {
      fromOffset: history.sentinel,
      onReset: (r) => resets.push(r),
    });
    try {
      // Rewritten in place, longer than the sentinel, in one synchronous
      // step: the tail has read nothing live yet when it wakes up.
      Deno.writeTextFileSync(
        path,
        '{"m":"aaaaaaaaaaaa"}\n{"m":"bbbbbbbbbbbbbbbbbbbbbbb"}\n',
      );
      await waitFor("rewritten entries", () => got.length >= 2);
      await settle(50);
      assert.deepEqual(values(got), [
        { m: "aaaaaaaaaaaa" },
        { m: "bbbbbbbbbbbbbbbbbbbbbbb" },
      ]);
      assert.deepEqual(resets, ["rewritten"]);
    } finally {
      await stop();
    }
  });
});

Deno.test("watch: replacement by rename delivers the rest of the old file, then the new one", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "x.jsonl");
    const fd = await Deno.open(path, { create: true, append: true });
    await fd.write(enc.encode('{"old":1}\n'));
    const got: JsonlEntry[] = [];
    const resets: JsonlResetReason[] = [];
    const stop = await watchJsonl(path, (e) => got.push(e), {
      fromOffset: 0,
      onReset: (r) => resets.push(r),
    });
    try {
      await waitFor("old entry", () => got.length === 1);
      const inode = (await Deno.stat(path)).ino;
      // The old file grows through its open descriptor after the new file
      // was prepared but before the rename; both must be read.
      const next = join(dir, "x.jsonl.next");
      await Deno.writeTextFile(next, '{"new":1}\n{"new":2}\n');
      await fd.write(enc.encode('{"old":2}\n'));
      await Deno.rename(next, path);
      assert.notEqual((await Deno.stat(path)).ino, inode);
      await waitFor("new entries", () => got.length === 4);
      assert.deepEqual(values(got), [
        { old: 1 },
        { old: 2 },
        { new: 1 },
        { new: 2 },
      ]);
      assert.deepEqual(resets, ["replaced"]);
      assert.equal(got[2].offset, 0);
      await append(path, '{"new":3}\n');
      await waitFor("appended to new", () => got.length === 5);
      assert.deepEqual(got[4].value, { new: 3 });
    } finally {
      fd.close();
      await stop();
    }
  });
});

Deno.test("watch: shared watcher fans out and closes after the last unsubscribe", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "s.jsonl");
    const before = sharedWatcherCount();
    const a: JsonlEntry[] = [];
    const b: JsonlEntry[] = [];
    const stopA = await watchJsonl(path, (e) => a.push(e));
    // A relative-looking alias of the same path joins the same watcher.
    const stopB = await watchJsonl(join(dir, ".", "s.jsonl"), (e) => b.push(e));
    assert.equal(sharedWatcherCount(), before + 1);
    await Deno.writeTextFile(path, '{"i":1}\n{"i":2}\n');
    await waitFor("both listeners", () => a.length === 2 && b.length === 2);
    assert.deepEqual(a, b);
    await stopA();
    assert.equal(sharedWatcherCount(), before + 1, "closed while B listens");
    await append(path, '{"i":3}\n');
    await waitFor("B gets the third", () => b.length === 3);
    await settle(50);
    assert.equal(a.length, 2, "A called after it unsubscribed");
    await stopB();
    assert.equal(sharedWatcherCount(), before);
    await stopB(); // idempotent
    assert.equal(sharedWatcherCount(), before);
    await append(path, '{"i":4}\n');
    await settle();
    assert.equal(b.length, 3);
    // A new subscriber gets a fresh watcher that starts at the current end.
    const c: JsonlEntry[] = [];
    const stopC = await watchJsonl(path, (e) => c.push(e));
    await append(path, '{"i":5}\n');
    await waitFor("C gets the fifth", () => c.length === 1);
    assert.deepEqual(c[0].value, { i: 5 });
    await stopC();
    assert.equal(sharedWatcherCount(), before);
  });
});

Deno.test("watch: a shared tail does not close under a subscriber still arming", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "arming.jsonl");
    const before = sharedWatcherCount();
    const b: JsonlEntry[] = [];
    const stopA = await watchJsonl(path, () => {});
    // B joins A's tail but has not resumed yet when A, the last armed
    // subscriber, leaves: B's reference must already keep the tail open.
    const armingB = watchJsonl(path, (e) => b.push(e));
    await stopA();
    const stopB = await armingB;
    try {
      assert.equal(sharedWatcherCount(), before + 1, "B has no open tail");
      await append(path, '{"b":1}\n{"b":2}\n');
      await waitFor("B's entries", () => b.length === 2);
      assert.deepEqual(values(b), [{ b: 1 }, { b: 2 }]);
    } finally {
      await stopB();
    }
    assert.equal(sharedWatcherCount(), before);
  });
});

Deno.test("watch: a throwing listener does not stop the others", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "th.jsonl");
    const got: JsonlEntry[] = [];
    const errors: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    const stopA = await watchJsonl(path, () => {
      throw new Error("listener boom");
    });
    const stopB = await watchJsonl(path, (e) => got.push(e));
    try {
      await Deno.writeTextFile(path, '{"x":1}\n{"x":2}\n');
      await waitFor("B entries", () => got.length === 2);
      assert.ok(errors.length >= 2, "the throw was not reported");
    } finally {
      console.error = originalError;
      await stopA();
      await stopB();
    }
  });
});

Deno.test("watch: private watcher from an offset (history + live, no gap)", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "p.jsonl");
    await Deno.writeTextFile(path, '{"i":0}\n{"i":1}\n{"i":2}\n{"i":');
    const history = await readJsonl(path);
    assert.equal(history.entries.length, 3);
    const live: JsonlEntry[] = [];
    const before = sharedWatcherCount();
    const stop = await watchJsonl(path, (e) => live.push(e), {
      fromOffset: history.sentinel,
    });
    assert.equal(sharedWatcherCount(), before, "private watcher was shared");
    try {
      await append(path, '3}\n{"i":4}\n');
      await waitFor("live entries", () => live.length === 2);
      assert.deepEqual(values([...history.entries, ...live]), [
        { i: 0 },
        { i: 1 },
        { i: 2 },
        { i: 3 },
        { i: 4 },
      ]);
      assert.equal(live[0].offset, history.sentinel);
    } finally {
      await stop();
    }
    // From an earlier offset, what is already there is delivered at once.
    const again: JsonlEntry[] = [];
    const stop2 = await watchJsonl(path, (e) => again.push(e), {
      fromOffset: history.entries[1].offset,
    });
    try {
      await waitFor("catch-up", () => again.length === 4);
      assert.deepEqual(values(again), [{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
    } finally {
      await stop2();
    }
  });
});

Deno.test("watch: fromOffset past the end of the file starts over at 0", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "stale.jsonl");
    await Deno.writeTextFile(path, '{"n":1}\n{"n":2}\n{"n":3}\n');
    const { sentinel } = await readJsonl(path);
    // Rewritten shorter after the sentinel was taken.
    await Deno.writeTextFile(path, '{"m":1}\n');
    const got: JsonlEntry[] = [];
    const resets: JsonlResetReason[] = [];
    const stop = await watchJsonl(path, (e) => got.push(e), {
      fromOffset: sentinel,
      onReset: (r) => resets.push(r),
    });
    try {
      await waitFor("the short file's entry", () => got.length === 1);
      assert.deepEqual(resets, ["truncated"]);
      // It grows again, past the stale offset: read on from where the short
      // file ended, not from the stale offset.
      await append(path, '{"m":2}\n{"m":3}\n{"m":4}\n');
      await waitFor("appended entries", () => got.length === 4);
      assert.deepEqual(values(got), [{ m: 1 }, { m: 2 }, { m: 3 }, { m: 4 }]);
      assert.equal(got[0].offset, 0);
      assert.deepEqual(resets, ["truncated"]);
    } finally {
      await stop();
    }
  });
});

Deno.test("watch: fromOffset past the end of an empty file, then growth", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "empty.jsonl");
    await Deno.writeTextFile(path, "");
    const got: JsonlEntry[] = [];
    const resets: JsonlResetReason[] = [];
    const stop = await watchJsonl(path, (e) => got.push(e), {
      fromOffset: 10,
      onReset: (r) => resets.push(r),
    });
    try {
      await append(path, '{"a":"0123456789"}\n{"b":2}\n');
      await waitFor("both entries", () => got.length === 2);
      await settle(50);
      assert.deepEqual(values(got), [{ a: "0123456789" }, { b: 2 }]);
      assert.deepEqual(resets, ["truncated"]);
    } finally {
      await stop();
    }
  });
});

Deno.test("watch: fromOffset into a file that does not exist yet reads it from 0", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "later.jsonl");
    const got: JsonlEntry[] = [];
    const resets: JsonlResetReason[] = [];
    const stop = await watchJsonl(path, (e) => got.push(e), {
      fromOffset: 4,
      onReset: (r) => resets.push(r),
    });
    try {
      await Deno.writeTextFile(path, '{"first":1}\n');
      await waitFor("the new file's entry", () => got.length === 1);
      assert.deepEqual(values(got), [{ first: 1 }]);
      assert.deepEqual(resets, ["replaced"]);
    } finally {
      await stop();
    }
  });
});

Deno.test("watch: a bad fromOffset is a RangeError", async () => {
  for (const fromOffset of [-1, 1.5, Number.NaN]) {
    await assert.rejects(
      () => watchJsonl("/nonexistent/x.jsonl", () => {}, { fromOffset }),
      RangeError,
    );
  }
});

Deno.test("watch: no listener call after unsubscribe resolves", async () => {
  await withDir(async (dir) => {
    const path = join(dir, "u.jsonl");
    let stopped = false;
    let lateCalls = 0;
    let calls = 0;
    const stop = await watchJsonl(path, () => {
      calls++;
      if (stopped) lateCalls++;
    }, { fromOffset: 0 });
    // A steady stream of appends while unsubscribing.
    const big = Array.from(
      { length: 2000 },
      (_, i) => JSON.stringify({ i, pad: "x".repeat(200) }),
    ).join("\n") + "\n";
    const writing = (async () => {
      for (let i = 0; i < 20; i++) {
        await append(path, big);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    await waitFor("some deliveries", () => calls > 100);
    await stop();
    stopped = true;
    await writing;
    await settle();
    assert.equal(lateCalls, 0);
    assert.ok(calls < 40_000, "everything was delivered; test proves nothing");
  });
});

// ---------------------------------------------------------------------------
// Property test: history snapshot + live tail == exactly the written lines.

const ALPHABET = ["a", "b", "z", " ", "é", "ß", "世", "界", "😀", "\\n", '\\"'];

/** A JSON line of roughly `size` bytes carrying `seq`. */
function makeLine(seq: number, size: number, rnd: () => number): string {
  if (size <= 12 && rnd() < 0.5) return String(seq); // tiny: a bare number
  let pad = "";
  const multibyte = rnd() < 0.3;
  const target = Math.max(0, size - 20);
  if (multibyte) {
    while (pad.length < target / 2) {
      pad += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
    }
  } else {
    pad = "x".repeat(target);
  }
  return JSON.stringify({ seq, pad });
}

function seqOf(entry: JsonlEntry): number {
  if (entry.error) return -1;
  const v = entry.value;
  if (typeof v === "number") return v;
  if (typeof v === "object" && v !== null && "seq" in v) {
    return (v as { seq: number }).seq;
  }
  return -1;
}

interface RunResult {
  written: number;
  delivered: number[];
  truncations: number;
}

async function runProperty(
  dir: string,
  seed: number,
  lines: number,
): Promise<RunResult> {
  const rnd = mulberry32(seed);
  const path = join(dir, `prop-${seed}.jsonl`);
  const file = await Deno.open(path, {
    create: true,
    write: true,
    truncate: true,
  });
  const delivered: number[] = [];
  let written = 0;
  let truncations = 0;
  let watching = false;
  let stop: (() => Promise<void>) | undefined;
  const snapshotAt = Math.floor(rnd() * lines * 0.6);

  const startReader = async () => {
    const history = await readJsonl(path);
    for (const e of history.entries) delivered.push(seqOf(e));
    stop = await watchJsonl(path, (e) => delivered.push(seqOf(e)), {
      fromOffset: history.sentinel,
    });
    watching = true;
  };

  let pendingBytes = new Uint8Array(0);
  const flush = async (all: boolean) => {
    while (pendingBytes.length > 0) {
      // Random chunk sizes split lines (and UTF-8 sequences) across writes.
      const size = rnd() < 0.5
        ? 1 + Math.floor(rnd() * 64)
        : 1 + Math.floor(rnd() * 32 * 1024);
      if (!all && size >= pendingBytes.length) return;
      const chunk = pendingBytes.subarray(0, size);
      let off = 0;
      while (off < chunk.length) off += await file.write(chunk.subarray(off));
      pendingBytes = pendingBytes.subarray(chunk.length);
      const p = rnd();
      if (p < 0.1) await new Promise((r) => setTimeout(r, rnd() * 3));
      else if (p < 0.3) await new Promise((r) => setTimeout(r, 0));
    }
  };

  let readerStarted: Promise<void> | undefined;
  for (let seq = 0; seq < lines; seq++) {
    if (seq === snapshotAt) readerStarted = startReader();
    // Sizes from 1 byte to ~20 KB, skewed small.
    const size = Math.floor(Math.exp(rnd() * Math.log(20_000)));
    const line = makeLine(seq, size, rnd) + (rnd() < 0.05 ? "\r\n" : "\n");
    const bytes = enc.encode(line);
    const joined = new Uint8Array(pendingBytes.length + bytes.length);
    joined.set(pendingBytes);
    joined.set(bytes, pendingBytes.length);
    pendingBytes = joined;
    await flush(false);
    if (rnd() < 0.01 && watching) {
      // Truncation: finish the current line, then wait until the reader has
      // delivered every line written so far. Lines truncated away before
      // anyone read them cannot be delivered by any reader, so the test
      // only truncates once they are delivered; the expected sequence then
      // simply continues with the lines written after the truncation.
      await flush(true);
      written = seq + 1;
      await waitFor(
        () =>
          `seed ${seed}: delivery before truncation (${delivered.length}/${written})`,
        () => delivered.length >= written,
      );
      await file.truncate(0);
      await file.seek(0, Deno.SeekMode.Start);
      truncations++;
    }
  }
  await flush(true);
  written = lines;
  await readerStarted;
  try {
    await waitFor(
      () => `seed ${seed}: all deliveries (${delivered.length}/${written})`,
      () => delivered.length >= written,
      10_000,
    );
    await settle(30); // duplicates would show up here
  } finally {
    file.close();
    await stop?.();
    await Deno.remove(path);
  }
  return { written, delivered, truncations };
}

function checkRun(seed: number, result: RunResult): void {
  const expected = Array.from({ length: result.written }, (_, i) => i);
  const firstBad = result.delivered.findIndex((s, i) => s !== i);
  assert.ok(
    firstBad < 0 && result.delivered.length === expected.length,
    `seed ${seed}: delivered ${result.delivered.length} of ${result.written}; ` +
      `first mismatch at index ${firstBad}: got ${
        result.delivered.slice(Math.max(0, firstBad - 2), firstBad + 3)
      }`,
  );
}

Deno.test("watch property: history + live == written lines, 30 seeds", async () => {
  await withDir(async (dir) => {
    let truncations = 0;
    for (let seed = 1; seed <= 30; seed++) {
      let result: RunResult;
      try {
        result = await runProperty(dir, seed, 250);
      } catch (error) {
        throw new Error(`seed ${seed} failed: ${error}`, { cause: error });
      }
      checkRun(seed, result);
      truncations += result.truncations;
    }
    // The runs did exercise truncation.
    assert.ok(truncations > 5, `only ${truncations} truncations`);
  });
});

Deno.test("watch property: one long run (4000 lines)", async () => {
  await withDir(async (dir) => {
    const seed = 20240601;
    const result = await runProperty(dir, seed, 4000);
    checkRun(seed, result);
    assert.ok(result.truncations > 0);
  });
});
