import assert from "node:assert/strict";
import { BacklogGuard } from "../../lib/serve/backlog.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("backlog: a client over the cap that reads nothing is dropped after the stall time", async () => {
  let queued = 0;
  let dropped = 0;
  const guard = new BacklogGuard(() => queued, () => dropped++, {
    maxBytes: 100,
    stallMs: 300,
  });
  queued += 50;
  assert.equal(guard.wrote(50), true);
  queued += 100;
  assert.equal(guard.wrote(100), true, "over the cap, but not stalled yet");
  await sleep(50);
  assert.equal(dropped, 0);
  await sleep(600);
  assert.equal(dropped, 1);
  assert.equal(guard.wrote(10), false, "dropped stays dropped");
  await sleep(100);
  assert.equal(dropped, 1, "dropped once");
});

Deno.test("backlog: a client that keeps reading through a burst is kept, for longer than the stall time", async () => {
  let queued = 0;
  let dropped = 0;
  const guard = new BacklogGuard(() => queued, () => dropped++, {
    maxBytes: 100,
    stallMs: 400,
  });
  queued += 1500; // under the hard cap (16 × 100)
  guard.wrote(1500);
  // 20 reads over ~800 ms, twice the stall time, still over the cap at the
  // end: only progress keeps it.
  for (let i = 0; i < 20; i++) {
    await sleep(40);
    queued -= 60; // it reads while more arrives
    queued += 10;
    guard.wrote(10);
  }
  assert.ok(queued > 100, "still behind");
  assert.equal(dropped, 0);
  // Then it stops reading: dropped after the stall time.
  await sleep(900);
  assert.equal(dropped, 1);
  guard.close();
});

Deno.test("backlog: past the hard cap a client is dropped at once", () => {
  let queued = 0;
  let dropped = 0;
  const guard = new BacklogGuard(() => queued, () => dropped++, {
    maxBytes: 100,
    hardMaxBytes: 1000,
  });
  queued += 10;
  assert.equal(guard.wrote(10), true);
  queued += 1000;
  assert.equal(guard.wrote(1000), false);
  assert.equal(dropped, 1);
  guard.close();
});

Deno.test("backlog: room() waits while the backlog is over the cap, and says false once the client is dropped", async () => {
  let queued = 500;
  let dropped = 0;
  const guard = new BacklogGuard(() => queued, () => dropped++, {
    maxBytes: 100,
    stallMs: 200,
  });
  guard.wrote(500);
  let answered: boolean | undefined;
  guard.room().then((ok) => answered = ok);
  await sleep(60);
  assert.equal(answered, undefined, "no room while 500 bytes wait");
  queued = 50; // it read
  await sleep(60);
  assert.equal(answered, true);
  queued = 500;
  guard.wrote(450);
  const waiting = guard.room();
  await sleep(600); // reads nothing: dropped
  assert.equal(dropped, 1);
  assert.equal(await waiting, false);
  assert.equal(await guard.room(), false);
});
