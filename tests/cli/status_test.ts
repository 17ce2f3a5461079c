/**
 * `aimax list` and `aimax status` (`lib/cli/list.ts`, `lib/cli/status.ts`)
 * of a session with its own worktree, read by the real engine from a real
 * worktree: its branch and change count in the table, its folder, branch
 * and repository among the details, and in `--json`.
 */
import assert from "node:assert/strict";
import { withWorktreeSession, write } from "../support/worktree_session.ts";

Deno.test("cli list and status: a session with a worktree shows its branch and change count; status its folder and repository", async () => {
  await withWorktreeSession(async (s) => {
    await write(s.worktree.path, "notes.txt", "one\ntwo\nthree\nfour\n");
    await write(s.worktree.path, "new.txt", "a\nb\n");
    const list = await s.cli(["list"]);
    assert.equal(list.code, 0, list.err.join("\n"));
    const [header, row] = list.out;
    assert.match(header, /^SESSION +AGENT +STATE .* BRANCH +CHANGES +CWD$/);
    const cell = (name: string) =>
      row.slice(header.indexOf(name)).split(/ {2,}/)[0];
    assert.equal(cell("SESSION"), "w1");
    assert.equal(cell("BRANCH"), "aimax/w1");
    assert.equal(cell("CHANGES"), "+3 \u22120, 2 files");
    assert.equal(cell("CWD"), s.worktree.path);

    const status = await s.cli(["status", "-s", "w1"]);
    assert.equal(status.code, 0, status.err.join("\n"));
    assert.deepEqual(status.out.slice(0, 2), list.out);
    const detail = (name: string) =>
      status.out.find((l) => l.startsWith(`${name}:`))?.slice(15);
    assert.equal(detail("worktree"), s.worktree.path);
    assert.equal(
      detail("branch"),
      `aimax/w1 (+3 \u22120, 2 files since ${
        s.worktree.baseCommit.slice(0, 8)
      })`,
    );
    assert.equal(detail("repository"), `${s.repo} (main)`);

    const json = JSON.parse(
      (await s.cli(["status", "-s", "w1", "--json"])).out[0],
    );
    assert.deepEqual(json.worktree, {
      ...s.worktree,
      changes: "+3 \u22120, 2 files",
    });
  });
});
