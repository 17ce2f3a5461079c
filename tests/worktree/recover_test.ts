import assert from "node:assert/strict";
import { join } from "node:path";
import { IntentFile } from "../../lib/worktree/intents.ts";
import { intentsDir } from "../../lib/worktree/paths.ts";
import { recoverIntents } from "../../lib/worktree/recover.ts";
import { git, look, withRepo, write } from "./support.ts";

Deno.test("recover: a dead writer's add is undone and its intent removed; a live one's is left", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const before = await look(repo);
    const base = (await git(repo, "rev-parse", "HEAD")).trim();
    const dead = await IntentFile.write(data, {
      kind: "add",
      repo,
      path: join(dir, "wt-dead"),
      branch: "aimax/dead",
      baseCommit: base,
      createsBranch: true,
    });
    await git(
      repo,
      "worktree",
      "add",
      "-q",
      "-b",
      "aimax/dead",
      join(dir, "wt-dead"),
    );
    dead.release();
    const live = await IntentFile.write(data, {
      kind: "add",
      repo,
      path: join(dir, "wt-live"),
      branch: "aimax/live",
      baseCommit: base,
      createsBranch: true,
    });
    await git(repo, "branch", "aimax/live");
    const recovered = await recoverIntents(data);
    assert.equal(recovered.length, 1);
    assert.equal(recovered[0].intent?.id, dead.record.id);
    assert.deepEqual(recovered[0].undone, {
      worktreeRemoved: true,
      branchDeleted: true,
    });
    assert.match((await look(repo)).branches, /aimax\/live/);
    live.release();
    assert.equal((await recoverIntents(data)).length, 1);
    assert.deepEqual(await look(repo), before);
    assert.deepEqual([...Deno.readDirSync(intentsDir(data))], []);
  });
});

Deno.test("recover: an intent that cannot be undone, or read, is kept and reported", async () => {
  await withRepo(async ({ dir, repo, data }) => {
    const path = join(dir, "wt");
    await write(path, "precious.txt", "keep me\n");
    const stuck = await IntentFile.write(data, {
      kind: "add",
      repo,
      path,
      branch: "aimax/s1",
      baseCommit: (await git(repo, "rev-parse", "HEAD")).trim(),
      createsBranch: true,
    });
    stuck.release();
    await Deno.writeTextFile(join(intentsDir(data), "zz.json"), "not json");
    const recovered = await recoverIntents(data);
    assert.equal(recovered.length, 2);
    assert.match(
      recovered[0].error ?? "",
      /holds files but no worktree's \.git file/,
    );
    assert.equal(recovered[1].error, "not an aimax intent file");
    assert.equal(
      await Deno.readTextFile(join(path, "precious.txt")),
      "keep me\n",
    );
    assert.equal([...Deno.readDirSync(intentsDir(data))].length, 2);
  });
});
