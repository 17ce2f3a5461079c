/**
 * A session's diff for a person (`lib/render/diff.ts`): the patch as git
 * prints it, coloured as git colours it only when colour is on, never a
 * control character from the files; `--stat` one aligned line per file
 * and the short count.
 */
import assert from "node:assert/strict";
import type { SessionDiff } from "../../lib/backend/contract.ts";
import { diffLines, diffStatLines } from "../../lib/render/diff.ts";

const PATCH = [
  "diff --git a/notes.txt b/notes.txt",
  "index 4cb29ea..f384549 100644",
  "--- a/notes.txt",
  "+++ b/notes.txt",
  "@@ -1,3 +1,3 @@ intro",
  " one",
  "-two",
  "+2 \x1b]52;c;aGk=\x07",
  " three",
  "",
].join("\n");

function diff(over: Partial<SessionDiff> = {}): SessionDiff {
  return {
    sessionId: "s1",
    branch: "aimax/s1",
    path: "/data/worktrees/app-1a2b3c4d/s1",
    baseCommit: "0123456789abcdef",
    files: [{
      path: "notes.txt",
      status: "modified",
      additions: 1,
      deletions: 1,
      binary: false,
      hunks: [],
    }],
    additions: 1,
    deletions: 1,
    shortStat: "+1 \u22121, 1 file",
    patchText: PATCH,
    truncated: false,
    ...over,
  };
}

// deno-lint-ignore no-control-regex
const COLOR_CODE = /\x1b\[\d+m/g;
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

Deno.test("diff text: the patch line by line as git prints it, a file's escape sequence made visible, no colour when off", () => {
  const lines = diffLines(diff());
  assert.deepEqual(lines, [
    "diff --git a/notes.txt b/notes.txt",
    "index 4cb29ea..f384549 100644",
    "--- a/notes.txt",
    "+++ b/notes.txt",
    "@@ -1,3 +1,3 @@ intro",
    " one",
    "-two",
    "+2 ?]52;c;aGk=?",
    " three",
  ]);
  assert.ok(!lines.join("\n").includes("\x1b"));
  assert.deepEqual(diffLines(diff({ patchText: "" })), []);
});

Deno.test("diff text: with colour, added lines green, removed red, headers bold, the hunk range cyan; the file's text still inert", () => {
  const lines = diffLines(diff(), { color: true });
  assert.equal(lines[0], "\x1b[1mdiff --git a/notes.txt b/notes.txt\x1b[0m");
  assert.equal(lines[2], "\x1b[1m--- a/notes.txt\x1b[0m");
  assert.equal(lines[3], "\x1b[1m+++ b/notes.txt\x1b[0m");
  assert.equal(lines[4], "\x1b[36m@@ -1,3 +1,3 @@\x1b[0m intro");
  assert.equal(lines[5], " one");
  assert.equal(lines[6], "\x1b[31m-two\x1b[0m");
  assert.equal(lines[7], "\x1b[32m+2 ?]52;c;aGk=?\x1b[0m");
  for (const line of lines) {
    // Only aimax's own colour codes: ESC followed by [<digits>m.
    assert.ok(
      !CONTROL.test(line.replace(COLOR_CODE, "")),
      JSON.stringify(line),
    );
  }
});

Deno.test("diff --stat: one aligned line per file (status, +added −removed, path; old → new; binary), then the short count", () => {
  const lines = diffStatLines(diff({
    files: [
      {
        path: "src/parser.ts",
        status: "modified",
        additions: 12,
        deletions: 3,
        binary: false,
        hunks: [],
      },
      {
        path: "new name.txt",
        oldPath: "old\x1b[2Jname.txt",
        status: "renamed",
        additions: 0,
        deletions: 0,
        binary: false,
        hunks: [],
      },
      {
        path: "logo.png",
        status: "added",
        additions: 0,
        deletions: 0,
        binary: true,
        hunks: [],
      },
    ],
    shortStat: "+12 \u22123, 3 files",
  }));
  assert.deepEqual(lines, [
    "modified  +12 \u22123  src/parser.ts",
    "renamed   +0 \u22120   old?[2Jname.txt \u2192 new name.txt",
    "added     binary  logo.png",
    "+12 \u22123, 3 files",
  ]);
  const colored = diffStatLines(diff(), { color: true });
  assert.equal(
    colored[0],
    "modified  \x1b[32m+1\x1b[0m \x1b[31m\u22121\x1b[0m  notes.txt",
  );
  assert.deepEqual(
    diffStatLines(diff({ files: [], shortStat: "+0 \u22120, 0 files" })),
    [
      "+0 \u22120, 0 files",
    ],
  );
});
