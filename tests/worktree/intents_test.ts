import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type AddIntent,
  IntentFile,
  staleIntents,
} from "../../lib/worktree/intents.ts";
import { intentsDir } from "../../lib/worktree/paths.ts";

const INTENT: AddIntent = {
  kind: "add",
  repo: "/src/app",
  path: "/data/worktrees/app-1/s1",
  branch: "aimax/s1",
  baseCommit: "0123abcd",
  createsBranch: true,
};

async function names(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) found.push(entry.name);
  return found.sort();
}

Deno.test("intents: written whole under <dataDir>/worktrees/.intents, 0600 in a 0700 folder, removed by clear", async () => {
  const data = await Deno.makeTempDir();
  try {
    const intent = await IntentFile.write(data, INTENT);
    assert.equal(
      intent.path,
      join(intentsDir(data), `${intent.record.id}.json`),
    );
    assert.deepEqual(await names(intentsDir(data)), [
      `${intent.record.id}.json`,
    ]);
    assert.equal((await Deno.stat(intent.path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(intentsDir(data))).mode! & 0o777, 0o700);
    const onDisk = JSON.parse(await Deno.readTextFile(intent.path));
    assert.deepEqual(onDisk, { ...intent.record });
    assert.equal(onDisk.pid, Deno.pid);
    assert.equal(onDisk.branch, "aimax/s1");
    await intent.clear();
    await intent.clear();
    assert.deepEqual(await names(intentsDir(data)), []);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("intents: a held intent is not stale; once let go (its writer gone) it is", async () => {
  const data = await Deno.makeTempDir();
  try {
    const held = await IntentFile.write(data, INTENT);
    assert.deepEqual(await staleIntents(data), []);
    held.release();
    const [stale, ...more] = await staleIntents(data);
    assert.equal(more.length, 0);
    assert.deepEqual(stale.record, held.record);
    // While this process holds it for recovery, another look skips it.
    assert.deepEqual(await staleIntents(data), []);
    await stale.remove();
    assert.deepEqual(await names(intentsDir(data)), []);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("intents: an unreadable file is reported and left; stale temporary files go, fresh ones stay", async () => {
  const data = await Deno.makeTempDir();
  try {
    const dir = intentsDir(data);
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "junk.json"), "{ half");
    await Deno.writeTextFile(join(dir, ".old.json.tmp"), "");
    await Deno.utime(join(dir, ".old.json.tmp"), 0, 0);
    await Deno.writeTextFile(join(dir, ".new.json.tmp"), "");
    const found = await staleIntents(data);
    assert.equal(found.length, 1);
    assert.equal(found[0].record, undefined);
    assert.equal(found[0].problem, "not an aimax intent file");
    found[0].release();
    assert.deepEqual(await names(dir), [".new.json.tmp", "junk.json"]);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});

Deno.test("intents: no intents folder yet is no intent", async () => {
  const data = await Deno.makeTempDir();
  try {
    assert.deepEqual(await staleIntents(join(data, "none")), []);
  } finally {
    await Deno.remove(data, { recursive: true });
  }
});
