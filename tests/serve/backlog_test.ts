import assert from "node:assert/strict";
import { BacklogGuard } from "../../lib/serve/backlog.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("backlog: a client over the cap that reads nothing is dropped after the stall time", async () => {
  let queued = 0;
  let dropped = 0;
  const guard = new BacklogGuard(() => queued, () => dropped++, {
    maxBytes: 100,
    stallMs: 80,
  });
  queued += 50;
  assert.equal(guard.wrote(50), true);
  queued += 100;
  assert.equal(guard.wrote(100), true, "over the cap, but not stalled yet");
  await sleep(40);
  assert.equal(dropped, 0);
  await sleep(120);
  assert.equal(dropped, 1);
  assert.equal(guard.wrote(10), false, "dropped stays dropped");
  await sleep(100);
  assert.equal(dropped, 1, "dropped once");
});

Deno.test("backlog: a client that keeps reading through a burst is kept", async () => {
  let queued = 0;
  let dropped = 0;
  const guard = new BacklogGuard(() => queued, () => dropped++, {
    maxBytes: 100,
    stallMs: 80,
  });
  queued += 500;
  guard.wrote(500);
  for (let i = 0; i < 10; i++) {
    await sleep(25);
    queued -= 40; // it reads while more arrives
    queued += 10;
    guard.wrote(10);
  }
  assert.equal(dropped, 0);
  queued = 0;
  await sleep(50);
  guard.close();
  assert.equal(dropped, 0);
});

Deno.test("backlog: past the hard cap a client is dropped at once; a catch-up it asked for is let off", () => {
  let queued = 0;
  let dropped = 0;
  const guard = new BacklogGuard(() => queued, () => dropped++, {
    maxBytes: 100,
    hardMaxBytes: 1000,
  });
  queued = 5000; // a catch-up written while the stream started
  guard.forgive();
  queued += 10;
  assert.equal(guard.wrote(10), true, "only the 10 bytes on top count");
  queued += 1000;
  assert.equal(guard.wrote(1000), false);
  assert.equal(dropped, 1);
  guard.close();
});
