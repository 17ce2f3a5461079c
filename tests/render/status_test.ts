import assert from "node:assert/strict";
import type { SessionStatus } from "../../lib/backend/contract.ts";
import { stateCell, statusTable } from "../../lib/render/status.ts";
import { displayWidth } from "../../lib/render/table.ts";
import { assertSnapshot } from "../support/snapshot.ts";

const NOW = Date.parse("2026-11-25T15:30:00Z");
const HOME = "/home/ada";

function row(over: Partial<SessionStatus>): SessionStatus {
  return {
    sessionId: "demo",
    backend: "tmux-claude-code",
    agentSessionId: "0b1c2d3e-0000-4000-8000-000000000000",
    jsonlPath: null,
    cwd: `${HOME}/src/app`,
    flagRoot: null,
    model: null,
    permission: null,
    agentArgs: [],
    displayName: null,
    startedAt: "2026-11-25T15:12:00Z",
    lastPromptAt: "2026-11-25T15:27:00Z",
    windowId: "@1",
    paneId: "%1",
    state: "idle",
    stateReason: "Stop hook",
    alive: true,
    working: false,
    jobGoalAccomplished: true,
    failed: false,
    orphan: false,
    ...over,
  };
}

const ROWS: SessionStatus[] = [
  row({}),
  row({
    sessionId: "refactor-the-parser",
    backend: "tmux-codex",
    state: "working",
    working: true,
    jobGoalAccomplished: false,
    cwd: `${HOME}/src/a-project-with-a-rather-long-name/packages/parser`,
    lastPromptAt: "2026-11-25T15:29:48Z",
  }),
  row({
    sessionId: "ask",
    state: "awaiting_input",
    working: true,
    jobGoalAccomplished: false,
  }),
  row({
    sessionId: "old",
    state: "exited",
    alive: false,
    failed: true,
    cwd: "/srv/builds/old",
    startedAt: "2026-11-22T09:00:00Z",
    lastPromptAt: null,
  }),
];

const AGENTS: Record<string, string> = {
  "tmux-claude-code": "claude",
  "tmux-codex": "codex",
};
const options = {
  now: NOW,
  home: HOME,
  agentName: (b: string) => AGENTS[b] ?? b,
};

Deno.test("status table: header, agents' short names, relative times, ~ (snapshot)", async () => {
  const lines = statusTable(ROWS, options);
  for (const line of lines) assert.equal(line, line.trimEnd());
  await assertSnapshot("status_table", lines);
});

Deno.test("status table: cut to 80 columns with …; --wide cuts nothing (snapshot)", async () => {
  const lines = statusTable(ROWS, { ...options, width: 80 });
  for (const line of lines) assert.ok(displayWidth(line) <= 80, line);
  await assertSnapshot("status_table_80", lines);
  assert.deepEqual(
    statusTable(ROWS, { ...options, width: 80, wide: true }),
    statusTable(ROWS, options),
  );
});

Deno.test("status table: colour on the state and a failed job only, when on", () => {
  const lines = statusTable(ROWS, { ...options, color: true });
  assert.ok(lines[2].includes("\x1b[33mworking\x1b[0m"));
  assert.ok(lines[3].includes("\x1b[31mawaiting input\x1b[0m"));
  assert.ok(lines[4].includes("\x1b[2mexited\x1b[0m"));
  assert.ok(!lines[1].includes("\x1b"), "idle is plain");
  assert.ok(!statusTable(ROWS, options).join("").includes("\x1b"));
});

Deno.test("status table: a display name adds NAME; an orphan window shows as such", () => {
  const lines = statusTable([
    row({ displayName: "the demo" }),
    row({ sessionId: "stray", orphan: true, cwd: null }),
  ], options);
  assert.match(lines[0], /LAST PROMPT {2}NAME {6}CWD$/);
  assert.deepEqual(stateCell(row({ orphan: true })), {
    text: "orphan",
    style: "red",
  });
  assert.match(lines[2], /orphan .* -$/);
});

Deno.test("status table: a session with its own worktree adds BRANCH and CHANGES; without one the table is as before (snapshot)", async () => {
  const worktree = {
    repo: `${HOME}/src/app`,
    branch: "aimax/wt",
    baseCommit: "0123456789abcdef",
    path: `${HOME}/.local/share/aimax/worktrees/app-1a2b3c4d/wt`,
    mainBranch: "main",
  };
  const rows = [
    ...ROWS,
    row({
      sessionId: "wt",
      cwd: worktree.path,
      worktree: { ...worktree, changes: "+12 \u22123, 2 files" },
    }),
    row({ sessionId: "wt-gone", cwd: null, worktree }),
  ];
  const lines = statusTable(rows, options);
  assert.match(lines[0], /LAST PROMPT +BRANCH +CHANGES +CWD$/);
  const column = (line: string, header: string) =>
    line.slice(lines[0].indexOf(header)).split(/ {2,}/)[0];
  assert.equal(column(lines[5], "BRANCH"), "aimax/wt");
  assert.equal(column(lines[5], "CHANGES"), "+12 \u22123, 2 files");
  // Its change count could not be read (its folder gone): "-".
  assert.equal(column(lines[6], "CHANGES"), "-");
  // A session without a worktree has empty cells there.
  assert.equal(
    lines[1].slice(lines[0].indexOf("BRANCH"), lines[0].indexOf("CWD")).trim(),
    "",
  );
  await assertSnapshot("status_table_worktree", lines);
  // No session with a worktree: byte for byte the table it was.
  assert.deepEqual(
    statusTable(ROWS, options),
    statusTable(ROWS.map((r) => ({ ...r, worktree: undefined })), options),
  );
});
