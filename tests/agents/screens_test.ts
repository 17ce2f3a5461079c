/**
 * Every screen reader against every screen captured from the pinned TUIs
 * (`tests/fixtures/screens`, produced by its `capture.ts`; how each was made
 * is in its README). `manifest.json` says what a correct reader concludes,
 * judged by a person looking at the capture.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AgentProfile, PaneState } from "../../lib/agents/agent.ts";
import { PROFILES } from "../../lib/registry.ts";
import { ROOT } from "../support/world.ts";

const DIR = join(ROOT, "tests", "fixtures", "screens");

interface Expected {
  kind: PaneState["kind"];
  working?: boolean;
  composer?: string;
  purpose?: string;
  asks?: string;
  /** Why the screen alone cannot tell `working` (the transcript does). */
  screenCannotTell?: string;
}

/** Fixture folder name → the profile that reads it. */
const AGENTS: Record<string, AgentProfile> = {
  claude: PROFILES["tmux-claude-code"],
  codex: PROFILES["tmux-codex"],
};

const manifest: Record<string, Expected> = JSON.parse(
  await Deno.readTextFile(join(DIR, "manifest.json")),
);

for (const [file, want] of Object.entries(manifest)) {
  const agent = file.split("/")[0];
  Deno.test(`screens: ${file} reads as ${want.kind}`, async () => {
    const profile = AGENTS[agent];
    assert.ok(profile, `no profile for ${agent}`);
    const screen = await Deno.readTextFile(join(DIR, file));
    const got = profile.readScreen(screen);
    assert.equal(got.kind, want.kind, JSON.stringify(got));
    if (got.kind === "input") {
      if (want.working !== undefined && !want.screenCannotTell) {
        assert.equal(got.working, want.working, "working");
      }
      if (want.composer !== undefined) {
        assert.equal(got.composer, want.composer, "composer");
      }
    }
    if (got.kind === "dialog") {
      if (want.purpose) assert.equal(got.purpose, want.purpose);
      if (want.asks) {
        assert.ok(got.text.includes(want.asks), `dialog text: ${got.text}`);
      }
    }
  });
}

Deno.test("screens: every capture has an expectation and every agent has fixtures", async () => {
  for (const agent of Object.keys(AGENTS)) {
    const files = [];
    for await (const entry of Deno.readDir(join(DIR, agent))) {
      if (entry.name.endsWith(".txt")) files.push(`${agent}/${entry.name}`);
    }
    assert.ok(files.length >= 6, `${agent}: ${files.length} fixtures`);
    for (const file of files) assert.ok(manifest[file], `${file} in manifest`);
  }
});

Deno.test("screens: the two false readings seen in review stay fixed", async () => {
  const read = async (file: string) =>
    AGENTS[file.split("/")[0]].readScreen(
      await Deno.readTextFile(join(DIR, file)),
    );
  // Codex: a reply bullet "• Working on it…" is not a running turn.
  const reply = await read("codex/reply_working_on.txt");
  assert.equal(reply.kind === "input" && reply.working, false);
  // Claude: a todo list pushes the spinner up; the turn still runs.
  const todo = await read("claude/working_todo.txt");
  assert.equal(todo.kind === "input" && todo.working, true);
});

Deno.test("screens: the start-up screen tells the agent's version (the tested one)", async () => {
  for (
    const [file, agent] of [
      ["claude/ready_fresh.txt", "claude"],
      ["codex/ready_placeholder_1.txt", "codex"],
    ]
  ) {
    const profile = AGENTS[agent];
    const screen = await Deno.readTextFile(join(DIR, file));
    assert.equal(profile.versionFromScreen(screen), profile.testedVersion);
  }
  assert.equal(AGENTS.claude.versionFromScreen("no banner"), undefined);
});
