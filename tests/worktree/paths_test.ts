import assert from "node:assert/strict";
import {
  intentsDir,
  repositoryDirName,
  worktreePath,
  worktreesDir,
} from "../../lib/worktree/paths.ts";
import { rejectsWithCode } from "./support.ts";

Deno.test("paths: <dataDir>/worktrees/<repo name>-<8 hex of its path>/<session id>", async () => {
  const path = await worktreePath("/src/app", "s1", { dataDir: "/data" });
  assert.match(path, /^\/data\/worktrees\/app-[0-9a-f]{8}\/s1$/);
  assert.equal(
    path,
    await worktreePath("/src/app", "s1", { dataDir: "/data" }),
  );
  assert.equal(worktreesDir("/data"), "/data/worktrees");
  assert.equal(intentsDir("/data"), "/data/worktrees/.intents");
});

Deno.test("paths: AIMAX_WORKTREE_DIR's value replaces <dataDir>/worktrees; relative is refused", async () => {
  const path = await worktreePath("/src/app", "s1", {
    dataDir: "/data",
    worktreeDir: "/fast/wt",
  });
  assert.match(path, /^\/fast\/wt\/app-[0-9a-f]{8}\/s1$/);
  await rejectsWithCode(
    worktreePath("/src/app", "s1", { dataDir: "/data", worktreeDir: "wt" }),
    "invalid_input",
  );
});

Deno.test("paths: two repositories of one name get two folders; odd names are made safe", async () => {
  const a = await repositoryDirName("/one/app");
  const b = await repositoryDirName("/two/app");
  assert.notEqual(a, b);
  assert.match(
    await repositoryDirName("/src/my app!"),
    /^my_app_-[0-9a-f]{8}$/,
  );
  assert.match(
    await repositoryDirName("/src/..hidden"),
    /^hidden-[0-9a-f]{8}$/,
  );
  assert.match(await repositoryDirName("/"), /^repo-[0-9a-f]{8}$/);
});

Deno.test("paths: a bad session id or a relative repository root is refused", async () => {
  await rejectsWithCode(
    worktreePath("/src/app", "../x", { dataDir: "/data" }),
    "invalid_input",
  );
  await rejectsWithCode(
    worktreePath("src/app", "s1", { dataDir: "/data" }),
    "invalid_input",
  );
});
