import assert from "node:assert/strict";
import { join } from "node:path";
import { watchDir, watchedDirCount } from "../lib/jsonl/dir_watch.ts";
import { watchJsonl } from "../lib/jsonl/watcher.ts";
import { waitFor } from "./support/world.ts";

Deno.test("dir watch: tails of many files in one directory share one watcher", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  const before = watchedDirCount();
  const got = new Map<number, number[]>();
  const stops = [];
  for (let i = 0; i < 20; i++) {
    const path = join(dir, `t${i}.jsonl`);
    await Deno.writeTextFile(path, "");
    got.set(i, []);
    stops.push(
      await watchJsonl(
        path,
        (e) => got.get(i)!.push((e.value as { n: number }).n),
        {
          fromOffset: 0,
        },
      ),
    );
  }
  assert.equal(watchedDirCount(), before + 1);
  for (let i = 0; i < 20; i++) {
    await Deno.writeTextFile(join(dir, `t${i}.jsonl`), `{"n":${i}}\n`, {
      append: true,
    });
  }
  await waitFor(
    "every tail to get its own line",
    () => [...got.entries()].every(([i, ns]) => ns.length === 1 && ns[0] === i),
  );
  for (const stop of stops) await stop();
  assert.equal(watchedDirCount(), before, "the last one closes the watcher");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("dir watch: a listener that left gets nothing more; a missing directory throws NotFound", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  // Each listener keeps the paths its events named.
  const a: string[] = [];
  const b: string[] = [];
  const stopA = watchDir(dir, {
    event: (e) => a.push(...e.paths),
    error: () => {},
  });
  const stopB = watchDir(dir, {
    event: (e) => b.push(...e.paths),
    error: () => {},
  });
  const x = join(dir, "x");
  const y = join(dir, "y");
  await Deno.writeTextFile(x, "1");
  await waitFor("both to see x", () => a.includes(x) && b.includes(x));
  stopA();
  stopA(); // twice is harmless
  const seen = a.length;
  await Deno.writeTextFile(y, "2");
  await waitFor("b to see y", () => b.includes(y));
  assert.equal(a.length, seen);
  stopB();
  assert.throws(
    () => watchDir(join(dir, "missing"), { event: () => {}, error: () => {} }),
    Deno.errors.NotFound,
  );
  await Deno.remove(dir, { recursive: true });
});
