/**
 * What the CLI says about a session's worktree (`lib/render/worktree.ts`):
 * where `create` made it, what `stop` did with it, what `merge` brought,
 * what `status` shows; paths with `~`, a server's text made one safe line.
 */
import assert from "node:assert/strict";
import type {
  SessionMerge,
  WorktreeOutcome,
} from "../../lib/backend/contract.ts";
import {
  mergeLines,
  worktreeDetails,
  worktreeMadeLine,
  worktreeOutcomeLines,
} from "../../lib/render/worktree.ts";
import type { SessionWorktree } from "../../lib/state.ts";

const HOME = "/home/ada";
const WORKTREE: SessionWorktree = {
  repo: `${HOME}/src/app`,
  branch: "aimax/s1",
  baseCommit: "0123456789abcdef0123456789abcdef01234567",
  path: `${HOME}/.local/share/aimax/worktrees/app-1a2b3c4d/s1`,
  mainBranch: "main",
};

Deno.test("worktree text: create and revive name the folder (~), the branch and the commit it started from", () => {
  assert.equal(
    worktreeMadeLine(WORKTREE, { home: HOME }),
    "  worktree: ~/.local/share/aimax/worktrees/app-1a2b3c4d/s1 (branch aimax/s1 from 01234567)",
  );
  assert.equal(
    worktreeMadeLine({ ...WORKTREE, branch: "x\x1b]0;t\x07\ny" }),
    `  worktree: ${WORKTREE.path} (branch x?]0;t? y from 01234567)`,
  );
});

Deno.test("worktree text: stop says removed (branch kept, or deleted with --discard), or kept with where and why", () => {
  const outcome: WorktreeOutcome = {
    path: WORKTREE.path,
    branch: "aimax/s1",
    removed: true,
    branchDeleted: false,
  };
  assert.deepEqual(worktreeOutcomeLines(outcome, { home: HOME }), [
    "  worktree removed: ~/.local/share/aimax/worktrees/app-1a2b3c4d/s1 (branch aimax/s1 kept)",
  ]);
  assert.deepEqual(
    worktreeOutcomeLines({ ...outcome, branchDeleted: true }, { home: HOME }),
    [
      "  worktree removed: ~/.local/share/aimax/worktrees/app-1a2b3c4d/s1 (branch aimax/s1 deleted)",
    ],
  );
  const reason =
    "the worktree has 1 uncommitted file; kept: `aimax merge -s s1` brings it into the main tree, `aimax stop -s s1 --discard` removes it";
  assert.deepEqual(
    worktreeOutcomeLines({ ...outcome, removed: false, reason }, {
      home: HOME,
    }),
    [
      "  worktree kept: ~/.local/share/aimax/worktrees/app-1a2b3c4d/s1 (branch aimax/s1)",
      `  ${reason}`,
    ],
  );
});

Deno.test("worktree text: merge names the branch, where it went, the commit and each file; a squash and a detached HEAD say so", () => {
  const merged: SessionMerge = {
    sessionId: "s1",
    branch: "aimax/s1",
    merged: true,
    commit: "89abcdef0123456789",
    into: "main",
    workCommit: undefined,
    files: ["notes.txt", "src/a\x1b[2J.ts"],
  };
  assert.deepEqual(mergeLines(merged), [
    "merged aimax/s1 into main: 89abcdef (2 files)",
    "  notes.txt",
    "  src/a?[2J.ts",
  ]);
  assert.deepEqual(
    mergeLines({
      ...merged,
      into: undefined,
      workCommit: "fedcba9876543210",
      files: ["a"],
    }, { squash: true }),
    [
      "squash-merged aimax/s1 into HEAD (detached): 89abcdef (1 file)",
      "  committed the worktree's uncommitted work first: fedcba98",
      "  a",
    ],
  );
  assert.deepEqual(mergeLines({ ...merged, merged: false, files: [] }), [
    "nothing to merge: main has all of aimax/s1 (89abcdef)",
  ]);
});

Deno.test("worktree text: status shows the folder, the branch with its change count, the repository and its branch", () => {
  assert.deepEqual(
    worktreeDetails({ ...WORKTREE, changes: "+12 \u22123, 2 files" }, {
      home: HOME,
    }),
    [
      ["worktree", "~/.local/share/aimax/worktrees/app-1a2b3c4d/s1"],
      ["branch", "aimax/s1 (+12 \u22123, 2 files since 01234567)"],
      ["repository", "~/src/app (main)"],
    ],
  );
  const { mainBranch: _, ...detached } = WORKTREE;
  assert.deepEqual(worktreeDetails(detached, { home: HOME }).slice(1), [
    ["branch", "aimax/s1 (changes unknown; from 01234567)"],
    ["repository", "~/src/app"],
  ]);
});
