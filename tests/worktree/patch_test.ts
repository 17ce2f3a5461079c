import assert from "node:assert/strict";
import {
  parseNameStatus,
  parseNumstat,
  patchSections,
} from "../../lib/worktree/patch.ts";

Deno.test("patch: --name-status -z, renames with their old path", () => {
  const files = parseNameStatus(
    "M\0a.txt\0R087\0old name.txt\0new name.txt\0A\0b\0D\0c\0T\0d\0",
  );
  assert.deepEqual(files.map((f) => [f.status, f.path, f.oldPath]), [
    ["modified", "a.txt", undefined],
    ["renamed", "new name.txt", "old name.txt"],
    ["added", "b", undefined],
    ["deleted", "c", undefined],
    ["modified", "d", undefined],
  ]);
  assert.deepEqual(files[0], {
    path: "a.txt",
    status: "modified",
    additions: 0,
    deletions: 0,
    binary: false,
    hunks: [],
  });
  assert.deepEqual(parseNameStatus(""), []);
});

Deno.test("patch: --numstat -z, binary files without counts, renames skipping their two paths", () => {
  assert.deepEqual(
    parseNumstat(
      "3\t1\ta.txt\0" + "2\t0\t\0old\0new\0" + "-\t-\timg.png\0" +
        "0\t5\tline\nbreak\0",
    ),
    [
      { additions: 3, deletions: 1 },
      { additions: 2, deletions: 0 },
      { additions: undefined, deletions: undefined },
      { additions: 0, deletions: 5 },
    ],
  );
});

Deno.test("patch: sections per file, hunks with their lines, binary marked", () => {
  const patch = [
    "diff --git a/x b/x",
    "index 1..2 100644",
    "--- a/x",
    "+++ b/x",
    "@@ -1,2 +1,2 @@ heading",
    " same",
    "-diff --git a/fake b/fake",
    "+new",
    "@@ -10 +10 @@",
    "-a",
    "+b",
    "\\ No newline at end of file",
    "diff --git a/img b/img",
    "new file mode 100644",
    "Binary files /dev/null and b/img differ",
    "diff --git a/m b/m",
    "old mode 100644",
    "new mode 100755",
    "",
  ].join("\n");
  const sections = patchSections(patch);
  assert.equal(sections.length, 3);
  assert.deepEqual(sections[0], {
    binary: false,
    hunks: [
      {
        header: "@@ -1,2 +1,2 @@ heading",
        lines: [" same", "-diff --git a/fake b/fake", "+new"],
      },
      {
        header: "@@ -10 +10 @@",
        lines: ["-a", "+b", "\\ No newline at end of file"],
      },
    ],
  });
  assert.deepEqual(sections[1], { binary: true, hunks: [] });
  assert.deepEqual(sections[2], { binary: false, hunks: [] });
});
