import assert from "node:assert/strict";
import { join } from "node:path";
import { AimaxError, StateCorruptError } from "../lib/errors.ts";
import { PRIVATE_CHECKED_MARK } from "../lib/private.ts";
import {
  ARCHIVE_LIMIT,
  sessionKey,
  type SessionRecord,
  StateStore,
  writeFileAtomic,
} from "../lib/state.ts";
import { withTempDir } from "./support/temp_dir.ts";

const withDir = (fn: (dir: string) => Promise<void>) =>
  withTempDir("aimax-state-", fn);

function record(sessionId: string, extra: Partial<SessionRecord> = {}) {
  return {
    sessionId,
    backend: "tmux-claude-code",
    agentSessionId: null,
    jsonlPath: null,
    cwd: "/tmp",
    flagRoot: "/tmp",
    model: null,
    useProxy: false,
    displayName: null,
    tmuxSocket: "",
    hubId: "$0",
    windowId: "@1",
    paneId: "%1",
    panePid: 123,
    startedAt: new Date(0).toISOString(),
    lastPromptAt: null,
    extra: {},
    ...extra,
  } satisfies SessionRecord;
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

const STATE_URL = new URL("../lib/state.ts", import.meta.url).href;

function denoEval(code: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-config", code, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("state: empty store lists nothing and creates no files", async () => {
  await withDir(async (dir) => {
    const store = new StateStore(join(dir, "data"));
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.get("b", "x"), undefined);
    assert.deepEqual(await store.archived(), []);
    await assert.rejects(
      () => Deno.stat(join(dir, "data")),
      Deno.errors.NotFound,
    );
  });
});

Deno.test("state: put/get/list/patch/archive", async () => {
  await withDir(async (dir) => {
    const store = new StateStore(join(dir, "data"));
    await store.put(record("a"));
    await store.put(record("b", { backend: "tmux-codex" }));
    await store.put(record("a", { backend: "tmux-codex", panePid: 7 }));
    assert.equal((await store.list()).length, 3);
    assert.deepEqual(await store.get("tmux-claude-code", "a"), record("a"));
    assert.equal((await store.get("tmux-codex", "a"))?.panePid, 7);
    // put replaces
    await store.put(record("a", { model: "m1" }));
    assert.equal((await store.get("tmux-claude-code", "a"))?.model, "m1");
    assert.equal((await store.list()).length, 3);
    // patch
    const patched = await store.patch("tmux-claude-code", "a", {
      agentSessionId: "uuid-1",
      lastPromptAt: "2024-01-01T00:00:00.000Z",
    });
    assert.equal(patched?.agentSessionId, "uuid-1");
    const reread = await new StateStore(join(dir, "data")).get(
      "tmux-claude-code",
      "a",
    );
    assert.equal(reread?.agentSessionId, "uuid-1");
    assert.equal(reread?.model, "m1");
    assert.equal(
      await store.patch("tmux-claude-code", "zz", { model: "x" }),
      undefined,
    );
    // archive
    const archived = await store.archive("tmux-claude-code", "a", {
      killed: true,
      wasWorking: false,
    });
    assert.ok(archived);
    assert.equal(archived.killed, true);
    assert.equal(archived.wasWorking, false);
    assert.ok(!Number.isNaN(Date.parse(archived.endedAt)));
    assert.equal(await store.get("tmux-claude-code", "a"), undefined);
    assert.equal((await store.list()).length, 2);
    const archive = await store.archived();
    assert.equal(archive.length, 1);
    assert.equal(archive[0].sessionId, "a");
    assert.equal(archive[0].agentSessionId, "uuid-1");
    assert.equal(
      await store.archive("tmux-claude-code", "a", {
        killed: false,
        wasWorking: false,
      }),
      undefined,
    );
    // The runtime file is plain, versioned JSON.
    const file = JSON.parse(await Deno.readTextFile(store.runtimePath));
    assert.equal(file.version, 1);
    assert.deepEqual(Object.keys(file.sessions).sort(), [
      "tmux-codex/a",
      "tmux-codex/b",
    ]);
  });
});

Deno.test("state: archive keeps the newest ARCHIVE_LIMIT", async () => {
  await withDir(async (dir) => {
    const store = new StateStore(dir);
    const old = Array.from({ length: ARCHIVE_LIMIT }, (_, i) => ({
      ...record(`old${i}`),
      endedAt: "x",
      killed: false,
      wasWorking: false,
    }));
    await Deno.writeTextFile(
      store.archivePath,
      JSON.stringify({ version: 1, sessions: old }),
    );
    await store.put(record("new"));
    await store.archive("tmux-claude-code", "new", {
      killed: false,
      wasWorking: true,
    });
    const archive = await store.archived();
    assert.equal(archive.length, ARCHIVE_LIMIT);
    assert.equal(archive[0].sessionId, "old1");
    assert.equal(archive.at(-1)?.sessionId, "new");
  });
});

Deno.test("state: atomic writes leave no temp files", async () => {
  await withDir(async (dir) => {
    const store = new StateStore(dir);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.put(record(`s${i}`))),
    );
    await store.archive("tmux-claude-code", "s0", {
      killed: true,
      wasWorking: false,
    });
    assert.equal((await store.list()).length, 19);
    assert.deepEqual(await listDir(dir), [
      PRIVATE_CHECKED_MARK,
      "hub-archive.json",
      "hub-runtime.json",
      "hub-state.lock",
    ]);
    const target = join(dir, "plain.txt");
    await writeFileAtomic(target, "hello\n");
    assert.equal(await Deno.readTextFile(target), "hello\n");
    assert.equal(((await Deno.stat(target)).mode ?? 0) & 0o777, 0o600);
    // A failing rename (target is a directory) cleans its temp file up.
    await Deno.mkdir(join(dir, "adir"));
    await assert.rejects(() => writeFileAtomic(join(dir, "adir"), "x"));
    assert.ok(!(await listDir(dir)).some((n) => n.includes(".tmp-")));
  });
});

const CORRUPTIONS: [string, string][] = [
  ["garbage", "\u0000\u0001 not json at all"],
  ["half-written JSON", '{"version":1,"sessions":{"tmux-claude-code/a":{"sess'],
  ["wrong structure (array)", "[1,2,3]"],
  ["wrong version", '{"version":2,"sessions":{}}'],
  ["sessions not an object", '{"version":1,"sessions":[]}'],
  ["bad record", '{"version":1,"sessions":{"k":{"sessionId":5}}}'],
  ["empty file", ""],
];

for (const [label, content] of CORRUPTIONS) {
  Deno.test(`state: corrupt runtime file (${label}) is moved aside`, async () => {
    await withDir(async (dir) => {
      const store = new StateStore(dir);
      await Deno.writeTextFile(store.runtimePath, content);
      const error = await store.list().then(() => undefined, (e) => e);
      assert.ok(error instanceof StateCorruptError, String(error));
      assert.equal(error.code, "state_corrupt");
      assert.equal(error.path, store.runtimePath);
      assert.ok(error.message.includes(error.asidePath));
      // The original bytes are kept, the runtime file is gone (not emptied).
      assert.equal(await Deno.readTextFile(error.asidePath), content);
      await assert.rejects(
        () => Deno.stat(store.runtimePath),
        Deno.errors.NotFound,
      );
      // The next call starts from an empty state.
      assert.deepEqual(await store.list(), []);
      await store.put(record("fresh"));
      assert.equal((await store.list()).length, 1);
      assert.equal(await Deno.readTextFile(error.asidePath), content);
    });
  });
}

Deno.test("state: corrupt archive is moved aside too", async () => {
  await withDir(async (dir) => {
    const store = new StateStore(dir);
    await Deno.writeTextFile(store.archivePath, "{nope");
    await store.put(record("a"));
    await assert.rejects(
      () =>
        store.archive("tmux-claude-code", "a", {
          killed: false,
          wasWorking: false,
        }),
      StateCorruptError,
    );
    // The live record was not lost by the failed archive.
    assert.equal((await store.list()).length, 1);
  });
});

Deno.test("state: unwritable data dir is an AimaxError data_dir", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "regular-file");
    await Deno.writeTextFile(file, "x");
    const store = new StateStore(join(file, "data"));
    const error = await store.put(record("a")).then(() => undefined, (e) => e);
    assert.ok(error instanceof AimaxError, String(error));
    assert.equal(error.code, "data_dir");
    assert.ok(error.message.includes("AIMAX_DATA_DIR"));
    await assert.rejects(
      () => store.withSessionLock("b", "s", () => 1),
      (e: unknown) => e instanceof AimaxError && e.code === "data_dir",
    );
  });
});

Deno.test("state: 10 concurrent writer processes all land", async () => {
  await withDir(async (dir) => {
    const code = `
      import { StateStore } from ${JSON.stringify(STATE_URL)};
      const [dir, id] = Deno.args;
      const store = new StateStore(dir);
      await store.put({
        sessionId: id, backend: "proc", agentSessionId: null, jsonlPath: null,
        cwd: "/", flagRoot: "/", model: null, useProxy: false,
        displayName: null, tmuxSocket: "", hubId: "$0", windowId: "@0",
        paneId: "%0", panePid: Deno.pid, startedAt: "", lastPromptAt: null,
        extra: {},
      });
      await store.patch("proc", id, { extra: { done: true } });
    `;
    const children = Array.from(
      { length: 10 },
      (_, i) => denoEval(code, [dir, `w${i}`]),
    );
    const outs = await Promise.all(children.map((c) => c.output()));
    for (const out of outs) {
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    }
    const list = await new StateStore(dir).list();
    assert.deepEqual(
      list.map((r) => r.sessionId).sort(),
      Array.from({ length: 10 }, (_, i) => `w${i}`).sort(),
    );
    assert.ok(list.every((r) => (r.extra as { done?: boolean }).done));
    assert.equal(new Set(list.map((r) => r.panePid)).size, 10);
  });
});

Deno.test("state: concurrent in-process writers all land", async () => {
  await withDir(async (dir) => {
    const stores = Array.from({ length: 5 }, () => new StateStore(dir));
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => stores[i % 5].put(record(`p${i}`))),
    );
    assert.equal((await stores[0].list()).length, 30);
  });
});

Deno.test("state: withSessionLock serialises across processes", async () => {
  await withDir(async (dir) => {
    const log = join(dir, "log.txt");
    const code = `
      import { StateStore } from ${JSON.stringify(STATE_URL)};
      const [dir, log, who] = Deno.args;
      const store = new StateStore(dir);
      for (let i = 0; i < 5; i++) {
        await store.withSessionLock("b", "s1", async () => {
          await Deno.writeTextFile(log, who + " start\\n", { append: true });
          await new Promise((r) => setTimeout(r, 15));
          await Deno.writeTextFile(log, who + " end\\n", { append: true });
        });
      }
    `;
    const children = ["A", "B", "C"].map((who) =>
      denoEval(code, [dir, log, who])
    );
    const outs = await Promise.all(children.map((c) => c.output()));
    for (const out of outs) {
      assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    }
    const lines = (await Deno.readTextFile(log)).trim().split("\n");
    assert.equal(lines.length, 30);
    for (let i = 0; i < lines.length; i += 2) {
      const [who, what] = lines[i].split(" ");
      assert.equal(what, "start", `line ${i}: ${lines[i]}`);
      assert.equal(lines[i + 1], `${who} end`, `interleaved at line ${i + 1}`);
    }
    // Different sessions do not share a lock file.
    assert.deepEqual(await listDir(join(dir, "locks")), ["b.s1.lock"]);
  });
});

Deno.test("state: claimAgentSession records a conversation on one session only; another session's claim, or a session that is gone, is refused and changes nothing", async () => {
  await withDir(async (dir) => {
    const store = new StateStore(dir);
    await store.put(record("a"));
    await store.put(record("b"));
    const claim = { agentSessionId: "thread-1", jsonlPath: "/t/1.jsonl" };
    assert.equal(
      await store.claimAgentSession("tmux-claude-code", "a", claim),
      true,
    );
    assert.equal(
      await store.claimAgentSession("tmux-claude-code", "b", claim),
      false,
    );
    assert.equal(
      await store.claimAgentSession("tmux-claude-code", "gone", claim),
      false,
    );
    // The same session may claim it again (a retry after a crash).
    assert.equal(
      await store.claimAgentSession("tmux-claude-code", "a", claim),
      true,
    );
    const a = await store.get("tmux-claude-code", "a");
    const b = await store.get("tmux-claude-code", "b");
    assert.equal(a?.agentSessionId, "thread-1");
    assert.equal(a?.jsonlPath, "/t/1.jsonl");
    assert.equal(b?.agentSessionId, null);
    assert.equal(sessionKey("tmux-codex", "demo"), "tmux-codex/demo");
  });
});
