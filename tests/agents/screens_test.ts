/**
 * Every screen reader against every screen captured from the real TUIs, of
 * each version of the tested range (`tests/fixtures/screens/<agent>/<version>`,
 * produced by its `capture.ts`; how each was made is in its README).
 * `manifest.json` says what a correct reader concludes, judged by a person
 * looking at the capture.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AgentProfile, PaneState } from "../../lib/agents/agent.ts";
import { PROFILES } from "../../lib/agents/mod.ts";
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
  copilot: PROFILES["tmux-copilot"],
  gemini: PROFILES["tmux-gemini"],
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

/** The version folders of an agent's fixtures (`2.1.197`, …). */
async function versions(agent: string): Promise<string[]> {
  const out = [];
  for await (const entry of Deno.readDir(join(DIR, agent))) {
    if (entry.isDirectory) out.push(entry.name);
  }
  return out.sort();
}

Deno.test("screens: every capture has an expectation, and both ends of each tested range have fixtures", async () => {
  for (const [agent, profile] of Object.entries(AGENTS)) {
    const found = await versions(agent);
    const { oldest, newest } = profile.testedRange;
    assert.ok(found.includes(oldest), `${agent}: fixtures of ${oldest}`);
    assert.ok(found.includes(newest), `${agent}: fixtures of ${newest}`);
    for (const version of found) {
      const files = [];
      for await (const entry of Deno.readDir(join(DIR, agent, version))) {
        if (entry.name.endsWith(".txt")) {
          files.push(`${agent}/${version}/${entry.name}`);
        }
      }
      assert.ok(files.length >= 6, `${agent} ${version}: ${files.length}`);
      for (const file of files) {
        assert.ok(manifest[file], `${file} in manifest`);
      }
    }
  }
});

Deno.test("screens: the two false readings seen in review stay fixed", async () => {
  const read = async (file: string) =>
    AGENTS[file.split("/")[0]].readScreen(
      await Deno.readTextFile(join(DIR, file)),
    );
  // Codex: a reply bullet "• Working on it…" is not a running turn.
  for (const version of await versions("codex")) {
    const reply = await read(`codex/${version}/reply_working_on.txt`);
    assert.equal(reply.kind === "input" && reply.working, false, version);
  }
  // Claude: a todo list pushes the spinner up; the turn still runs (2.1.332
  // has the task tools disabled: no task list to capture).
  const todo = await read("claude/2.1.197/working_todo.txt");
  assert.equal(todo.kind === "input" && todo.working, true);
});

Deno.test("screens: the start-up screen of each version tells that version", async () => {
  const startScreen = {
    claude: "ready_fresh.txt",
    codex: "ready_placeholder_1.txt",
  };
  for (const [agent, file] of Object.entries(startScreen)) {
    for (const version of await versions(agent)) {
      const screen = await Deno.readTextFile(join(DIR, agent, version, file));
      assert.equal(AGENTS[agent].versionFromScreen(screen), version);
    }
  }
  assert.equal(AGENTS.claude.versionFromScreen("no banner"), undefined);
});

Deno.test('screens: the trust dialog\'s keys select "Yes" in both layouts (2.1.332 selects "No, exit" first)', async () => {
  const keys = async (version: string) =>
    AGENTS.claude.acceptTrustKeys(
      await Deno.readTextFile(join(DIR, "claude", version, "trust.txt")),
    );
  assert.deepEqual(await keys("2.1.197"), ["Enter"]);
  assert.deepEqual(await keys("2.1.332"), ["Down", "Enter"]);
  // Once "Yes" is selected (a press half taken), Enter alone.
  const moved = (await Deno.readTextFile(
    join(DIR, "claude", "2.1.332", "trust.txt"),
  )).replace("❯ No, exit", "  No, exit").replace(
    "  Yes, I trust this folder",
    "❯ Yes, I trust this folder",
  );
  assert.deepEqual(AGENTS.claude.acceptTrustKeys(moved), ["Enter"]);
  assert.deepEqual(AGENTS.claude.acceptTrustKeys("no dialog"), []);
  assert.deepEqual(AGENTS.codex.acceptTrustKeys("any"), ["Enter"]);
});
