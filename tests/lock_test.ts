import assert from "node:assert/strict";
import { join } from "node:path";
import {
  LOCK_TIMEOUT_MS,
  LockTimeoutError,
  readLockHolder,
  withFileLock,
} from "../lib/lock.ts";
import { withTempDir } from "./support/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) =>
  withTempDir("aimax-lock-", fn);

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

/** A child process holding `lock` until it is killed. */
interface Holder {
  child: Deno.ChildProcess;
  /** Kills the child (if still alive) and drains its output. */
  dispose(): Promise<void>;
}

/** Spawns a process that takes `lock` and holds it until it is killed. */
async function spawnHolder(dir: string, lock: string): Promise<Holder> {
  const ready = join(dir, `ready-${crypto.randomUUID()}`);
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
  const dispose = async () => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.stderr.cancel();
    await child.status;
  };
  try {
    const deadline = Date.now() + 10_000;
    while (true) {
      try {
        await Deno.stat(ready);
        return { child, dispose };
      } catch {
        if (Date.now() > deadline) throw new Error("child never locked");
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Fails instead of hanging when `promise` does not settle in `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still waiting after ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("lock: a lock held by a SIGKILLed process is released", async () => {
  await withDir(async (dir) => {
    const lock = join(dir, "x.lock");
    const holder = await spawnHolder(dir, lock);
    try {
      // While the child holds it, we cannot get in.
      let got = false;
      const waiting = withFileLock(lock, () => {
        got = true;
      });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(got, false, "lock was not exclusive across processes");
      holder.child.kill("SIGKILL");
      const status = await holder.child.status;
      assert.equal(status.signal, "SIGKILL");
      await waiting;
      assert.equal(got, true);
    } finally {
      await holder.dispose();
    }
  });
});

Deno.test("lock: a waiter times out with an error naming the holding pid", async () => {
  await withDir(async (dir) => {
    const lock = join(dir, "held.lock");
    const holder = await spawnHolder(dir, lock);
    try {
      let ran = false;
      const started = Date.now();
      const error = await within(
        5000,
        withFileLock(lock, () => {
          ran = true;
        }, { timeoutMs: 300 }).then(
          () => assert.fail("got a lock another process holds"),
          (e: unknown) => e,
        ),
      );
      const waited = Date.now() - started;
      assert.ok(error instanceof LockTimeoutError, String(error));
      assert.equal(error.code, "lock_timeout");
      assert.equal(error.lockPath, lock);
      assert.equal(error.holder?.pid, holder.child.pid);
      assert.match(error.message, new RegExp(`pid ${holder.child.pid}\\b`));
      assert.ok(error.message.includes(lock), error.message);
      assert.equal(ran, false);
      assert.ok(waited >= 290 && waited < 3000, `waited ${waited} ms`);
    } finally {
      await holder.dispose();
    }
    // The timed-out waiter leaked no lock: it is free once the holder died.
    assert.equal(await within(5000, withFileLock(lock, () => "free")), "free");
  });
});

Deno.test("lock: a holder that recorded no pid is reported as such", async () => {
  await withDir(async (dir) => {
    const lock = join(dir, "bare.lock");
    // Another handle (not withFileLock) takes the lock and writes nothing.
    const other = await Deno.open(lock, { create: true, write: true });
    await other.lock(true);
    try {
      const error = await within(
        5000,
        withFileLock(lock, () => {}, { timeoutMs: 0 }).catch((e) => e),
      );
      assert.ok(error instanceof LockTimeoutError, String(error));
      assert.equal(error.holder, undefined);
      assert.match(error.message, /recorded no pid/);
    } finally {
      other.close();
    }
    assert.equal(await withFileLock(lock, () => 1, { timeoutMs: 0 }), 1);
  });
});

Deno.test("lock: the holder's pid is in the lock file while held, cleared after", async () => {
  await withDir(async (dir) => {
    const lock = join(dir, "pid.lock");
    await Deno.writeTextFile(lock, "left over by someone else");
    const seen = await withFileLock(lock, () => readLockHolder(lock));
    assert.equal(seen?.pid, Deno.pid);
    assert.ok(!Number.isNaN(Date.parse(seen!.since)), seen!.since);
    assert.equal(await Deno.readTextFile(lock), "");
    assert.equal(await readLockHolder(lock), undefined);
    assert.equal(await readLockHolder(join(dir, "missing.lock")), undefined);
    await withFileLock(lock, () => {
      throw new Error("inside");
    }).catch(() => {});
    assert.equal(
      await Deno.readTextFile(lock),
      "",
      "not cleared after a throw",
    );
  });
});

Deno.test("lock: contention shorter than the timeout just waits; bad timeouts are RangeErrors", async () => {
  await withDir(async (dir) => {
    const lock = join(dir, "busy.lock");
    const order: string[] = [];
    const first = withFileLock(lock, async () => {
      order.push("first in");
      await new Promise((r) => setTimeout(r, 150));
      order.push("first out");
    });
    await new Promise((r) => setTimeout(r, 20));
    await withFileLock(lock, () => {
      order.push("second");
    }, { timeoutMs: 2000 });
    await first;
    assert.deepEqual(order, ["first in", "first out", "second"]);
    assert.equal(LOCK_TIMEOUT_MS, 30_000);
    for (const timeoutMs of [-1, Number.NaN, Infinity]) {
      await assert.rejects(
        () => withFileLock(lock, () => {}, { timeoutMs }),
        RangeError,
      );
    }
  });
});
