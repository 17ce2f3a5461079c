/**
 * The data dir is private: an existing one left readable (0755, files 0644)
 * is made 0700 / 0600 once, links not followed, and said once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  privacyFixLine,
  PRIVATE_CHECKED_MARK,
  securePrivateData,
  setPrivacyNotice,
} from "../lib/private.ts";
import { StateStore } from "../lib/state.ts";

const mode = async (path: string) => (await Deno.lstat(path)).mode! & 0o777;

async function openDataDir(root: string): Promise<string> {
  const data = join(root, "data");
  await Deno.mkdir(join(data, "events"), { recursive: true });
  await Deno.mkdir(join(data, "bin"));
  await Deno.writeTextFile(
    join(data, "hub-runtime.json"),
    JSON.stringify({ version: 1, sessions: {} }),
  );
  await Deno.writeTextFile(join(data, "events", "a.jsonl"), '{"prompt":"x"}\n');
  await Deno.writeTextFile(
    join(data, "events", "a.claude-settings.json"),
    "{}",
  );
  await Deno.writeTextFile(join(data, "bin", "aimax-hook"), "#!/bin/sh\n");
  for (const d of [data, join(data, "events"), join(data, "bin")]) {
    await Deno.chmod(d, 0o755);
  }
  for (
    const f of [
      "hub-runtime.json",
      "events/a.jsonl",
      "events/a.claude-settings.json",
    ]
  ) {
    await Deno.chmod(join(data, f), 0o644);
  }
  await Deno.chmod(join(data, "bin", "aimax-hook"), 0o755);
  return data;
}

Deno.test("private: a data dir left 0755 with files 0644 becomes 0700 / 0600 (the hook script 0700), links are not followed, and it is said once", async () => {
  const root = await Deno.makeTempDir();
  const heard: string[] = [];
  setPrivacyNotice((line) => heard.push(line));
  try {
    const data = await openDataDir(root);
    const outside = join(root, "outside.txt");
    await Deno.writeTextFile(outside, "not aimax's");
    await Deno.chmod(outside, 0o644);
    await Deno.symlink(outside, join(data, "link"));
    const fix = await securePrivateData(data);
    assert.deepEqual(fix, { dataDir: data, dir: true, files: 4 });
    assert.equal(await mode(data), 0o700);
    assert.equal(await mode(join(data, "events")), 0o700);
    assert.equal(await mode(join(data, "bin")), 0o700);
    assert.equal(await mode(join(data, "hub-runtime.json")), 0o600);
    assert.equal(await mode(join(data, "events", "a.jsonl")), 0o600);
    assert.equal(
      await mode(join(data, "events", "a.claude-settings.json")),
      0o600,
    );
    assert.equal(await mode(join(data, "bin", "aimax-hook")), 0o700);
    assert.equal(await mode(outside), 0o644, "a link is not followed");
    assert.equal(heard.length, 1);
    assert.match(
      heard[0],
      /readable by other users .*private \(directories 0700, 4 files 0600\)/,
    );
    // Once per process: no second walk, no second line.
    await securePrivateData(data);
    assert.equal(heard.length, 1);
    assert.equal(
      privacyFixLine({ dataDir: data, dir: false, files: 0 }),
      undefined,
    );
  } finally {
    setPrivacyNotice(undefined);
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("private: the state store fixes an open data dir on first use; a new one is made 0700; a missing one is looked at again later", async () => {
  const root = await Deno.makeTempDir();
  try {
    const fresh = join(root, "fresh");
    assert.equal(await securePrivateData(fresh), undefined, "no data dir yet");
    await new StateStore(fresh).update(() => 1);
    assert.equal(await mode(fresh), 0o700);

    const open = await openDataDir(join(root, "old"));
    await new StateStore(open).list();
    assert.equal(await mode(open), 0o700);
    assert.equal(await mode(join(open, "events", "a.jsonl")), 0o600);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("private: a file left 0644 inside a data dir that is 0700 is made 0600 without a word (it was not readable by others)", async () => {
  const root = await Deno.makeTempDir();
  const heard: string[] = [];
  setPrivacyNotice((line) => heard.push(line));
  try {
    const data = join(root, "quiet");
    await Deno.mkdir(join(data, "events"), { recursive: true });
    await Deno.chmod(data, 0o700);
    await Deno.writeTextFile(join(data, "hub-runtime.json"), "x");
    await Deno.chmod(join(data, "hub-runtime.json"), 0o644);
    const fix = await securePrivateData(data);
    assert.deepEqual(fix, { dataDir: data, dir: false, files: 1 });
    assert.equal(await mode(join(data, "hub-runtime.json")), 0o600);
    assert.equal(await mode(join(data, "events")), 0o700);
    assert.deepEqual(heard, []);
    assert.equal(privacyFixLine(fix), undefined);
  } finally {
    setPrivacyNotice(undefined);
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("private: a complete check leaves its mark; a later process skips the walk while the dir stays 0700, and walks again once it is found open", async () => {
  const root = await Deno.makeTempDir();
  try {
    const data = await openDataDir(root);
    const first = await securePrivateData(data);
    assert.equal(first?.dir, true);
    assert.equal(await mode(join(data, PRIVATE_CHECKED_MARK)), 0o600);
    // Another process (here: the same dir under another spelling, which
    // this process has not checked): the mark is there and the dir 0700.
    await Deno.writeTextFile(join(data, "late.json"), "{}");
    await Deno.chmod(join(data, "late.json"), 0o644);
    assert.deepEqual(await securePrivateData(`${data}/`), {
      dataDir: `${data}/`,
      dir: false,
      files: 0,
    });
    assert.equal(await mode(join(data, "late.json")), 0o644);
    // Found open again: walked whatever the mark says.
    await Deno.chmod(data, 0o755);
    const again = await securePrivateData(`${data}//`);
    assert.equal(again?.dir, true);
    assert.equal(again?.files, 1);
    assert.equal(await mode(join(data, "late.json")), 0o600);
    assert.equal(await mode(data), 0o700);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
