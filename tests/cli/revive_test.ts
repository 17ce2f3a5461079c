/**
 * `aimax revive` (`lib/cli/revive.ts`) prints what `create` prints for the
 * session started again (its worktree too); run against a fake server
 * (`--server`) that answers as `aimax serve` does, so no agent is needed.
 */
import assert from "node:assert/strict";
import { fakeServer } from "../support/fake_server.ts";
import { runCli } from "../support/worktree_session.ts";

const WORKTREE = {
  repo: "/srv/app",
  branch: "aimax/w1",
  baseCommit: "0123456789abcdef0123456789abcdef01234567",
  path: "/srv/data/worktrees/app-1a2b3c4d/w1",
  mainBranch: "main",
};

Deno.test("cli revive: asks the server to revive the session and prints it revived, with its worktree; -v the conversation; --json the result", async () => {
  const answer = {
    sessionId: "w1",
    agentSessionId: "0b1c2d3e-0000-4000-8000-000000000000",
    jsonlPath: "/srv/home/.claude/projects/x/0b1c2d3e.jsonl",
    startedAt: "2026-12-03T10:00:00.000Z",
    worktree: WORKTREE,
  };
  const server = fakeServer(() => ({ body: answer }));
  try {
    const args = ["revive", "-b", "tmux-claude-code", "-s", "w1"];
    const run = await runCli([...args, "--server", server.url, "-v"]);
    assert.equal(run.code, 0, run.err.join("\n"));
    assert.deepEqual(run.out, [
      "revived w1 (claude)",
      "  worktree: /srv/data/worktrees/app-1a2b3c4d/w1 (branch aimax/w1 from 01234567)",
      "  agent session: 0b1c2d3e-0000-4000-8000-000000000000",
      "  transcript:    /srv/home/.claude/projects/x/0b1c2d3e.jsonl",
    ]);
    assert.equal(server.received[0].method, "POST");
    assert.equal(
      server.received[0].path,
      "/api/sessions/w1/revive?backend=tmux-claude-code",
    );
    const json = await runCli([...args, "--server", server.url, "--json"]);
    assert.deepEqual(JSON.parse(json.out[0]), answer);
  } finally {
    await server.close();
  }
});

Deno.test("cli revive: a session without a worktree prints one line; the server's refusal is the error's one line and exit code", async () => {
  let refuse = false;
  const server = fakeServer(() =>
    refuse
      ? {
        status: 409,
        body: {
          error: {
            code: "session_exists",
            message: 'session "w1" still runs',
          },
        },
      }
      : {
        body: {
          sessionId: "w1",
          agentSessionId: null,
          jsonlPath: null,
          startedAt: "2026-12-03T10:00:00.000Z",
        },
      }
  );
  try {
    const args = ["revive", "-b", "tmux-codex", "-s", "w1", "--server"];
    const run = await runCli([...args, server.url]);
    assert.equal(run.code, 0, run.err.join("\n"));
    assert.deepEqual(run.out, ["revived w1 (codex)"]);
    refuse = true;
    const refused = await runCli([...args, server.url]);
    assert.notEqual(refused.code, 0);
    assert.deepEqual(refused.out, []);
    assert.match(refused.err[0], /^aimax: session "w1" still runs/);
  } finally {
    await server.close();
  }
});
