import assert from "node:assert/strict";
import { join } from "node:path";
import { withFileLock } from "../lib/lock.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "aimax-lock-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("lock: returns fn's value, creates parent dirs, releases on throw", async () => {
  await withDir(async (dir) => {
    const lock = join(dir, "a", "b", "x.lock");
    assert.equal(await withFileLock(lock, () => 42), 42);
    assert.ok((await Deno.stat(lock)).isFile);
    await assert.rejects(
      () =>
        withFileLock(lock, () => {
          throw new Error("inside");
        }),
      /inside/,
    );
    // Released after the throw: this would hang otherwise.
    assert.equal(await withFileLock(lock, async () => await "again"), "again");
  });
});

Deno.test("lock: serialises callers in one process", async () => {
  await withDir(async (dir) => {
    const lock = join(dir, "x.lock");
    let inside = 0;
    let maxInside = 0;
    const order: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        withFileLock(lock, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          order.push(`s${i}`);
          await new Promise((r) => setTimeout(r, 5));
          order.push(`e${i}`);
          inside--;
        })),
    );
    assert.equal(maxInside, 1);
    for (let i = 0; i < order.length; i += 2) {
      assert.equal(order[i + 1], `e${order[i].slice(1)}`);
    }
  });
});

Deno.test("lock: a lock held by a SIGKILLed process is released", async () => {
  await withDir(async (dir) => {
    const lock = join(dir, "x.lock");
    const ready = join(dir, "ready");
    const lockUrl = new URL("../lib/lock.ts", import.meta.url).href;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        "--no-config",
        `import { withFileLock } from ${JSON.stringify(lockUrl)};
        await withFileLock(Deno.args[0], async () => {
          await Deno.writeTextFile(Deno.args[1], "1");
          await new Promise(() => setInterval(() => {}, 1000)); // hold forever
        });`,
        lock,
        ready,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      const deadline = Date.now() + 10_000;
      while (true) {
        try {
          await Deno.stat(ready);
          break;
        } catch {
          if (Date.now() > deadline) throw new Error("child never locked");
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      // While the child holds it, we cannot get in.
      let got = false;
      const waiting = withFileLock(lock, () => {
        got = true;
      });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(got, false, "lock was not exclusive across processes");
      child.kill("SIGKILL");
      const status = await child.status;
      assert.equal(status.signal, "SIGKILL");
      await waiting;
      assert.equal(got, true);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.stderr.cancel();
    }
  });
});
