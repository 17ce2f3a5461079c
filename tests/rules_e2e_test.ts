/**
 * Rules instead of questions, on every real TUI whose profile applies them
 * (`checkRules`), through the CLI, in a world where tools ask a person:
 * `create --allow 'bash:touch *' --deny 'bash:rm *'` lets `touch` run without a dialog (a command that asks without the
 * rule: the approvals test shows its dialog) and keeps `rm` from running,
 * both checked by their side effects; `status` shows the rules, and a
 * revived or resumed session keeps them. On Claude Code, `edit:` and
 * `read:` rules allow and deny its file tools the same way. A rule the
 * agent cannot express, or not a rule at all, is refused at `create` (exit
 * 2, naming the rule) and nothing is created.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { AGENT_PROFILES, profileOf } from "../lib/agents/mod.ts";
import { create, createArgs, waitReply } from "./support/e2e_suite.ts";
import { AGENTS, json, type World, worldTest } from "./support/world.ts";

/** The agents whose profile applies rules (the others refuse them). */
const RULED = AGENTS.filter((agent) =>
  AGENT_PROFILES.some((p) => p.shortName === agent && p.checkRules)
);

// deno-lint-ignore no-explicit-any
type Rec = any;

/**
 * A prompt whose command needs a person's approval without a rule: Claude
 * Code and Gemini CLI ask for every shell command here; Codex for one run
 * outside its sandbox.
 */
const asking = (world: World, cmd: string) =>
  world.agent === "codex" ? `[[escalate ${cmd}]]` : `[[bash ${cmd}]]`;

/**
 * A prompt whose command Codex's sandbox would let run without asking (in
 * its workspace): only a rule keeps it from running.
 */
const plain = (cmd: string) => `[[bash ${cmd}]]`;

/** Sends `prompt`; the turn must end without stopping at a dialog. */
async function runs(world: World, id: string, prompt: string): Promise<void> {
  const sent = await world.cli(["send", "-s", id, "-p", prompt]);
  assert.equal(sent.code, 0, sent.stderr);
  const waited = await world.cli(["wait", "-s", id, "--timeout", "40"]);
  const status = await world.cli(["status", "-s", id]);
  assert.equal(
    waited.code,
    0,
    `${waited.stderr}${waited.stdout}\n${status.stdout}`,
  );
}

for (const agent of RULED) {
  worldTest(
    agent,
    `${agent} rules: --allow 'bash:touch *' runs touch without a dialog, --deny 'bash:rm *' keeps rm from running; status shows the rules; revive keeps them`,
    async (world) => {
      // In the session's folder: Claude Code asks about paths outside it
      // whatever the command's rules say.
      const made = join(world.cwd, "made-by-rule");
      const victim = join(world.cwd, "keep-me");
      await Deno.writeTextFile(victim, "still here\n");
      // Codex's home (the user's): what it holds before the session.
      const codexHome = world.env.CODEX_HOME;
      const before = codexHome
        ? {
          config: await Deno.readTextFile(join(codexHome, "config.toml")),
          rules: [...Deno.readDirSync(join(codexHome, "rules"))].map((e) =>
            e.name
          ),
        }
        : undefined;
      const created = await world.cli(
        createArgs(world, "r1", "hello", [
          "--allow",
          "bash:touch *",
          "--deny",
          "bash:rm *",
        ]),
      );
      assert.equal(created.code, 0, created.stderr);
      await waitReply(world, "r1", "ack: hello");

      const status = json<Rec>(
        await world.cli(["status", "-s", "r1", "--json"]),
      );
      // In the bypass mode (the test kit's settings give it to some agents)
      // create says what a deny rule does not catch; in the others nothing.
      const warned =
        /warning: in the bypass mode nothing asks: a shell command your deny rules do not match as written/
          .test(created.stderr);
      assert.equal(
        warned,
        status.permission.mode === "bypass",
        `${status.permission.mode}: ${created.stderr}`,
      );
      assert.deepEqual(status.rules, {
        allow: ["bash:touch *"],
        deny: ["bash:rm *"],
      });
      const text = await world.cli(["status", "-s", "r1"]);
      assert.match(text.stdout, /rules: +allow bash:touch \*; deny bash:rm \*/);

      await runs(world, "r1", asking(world, `touch ${made}`));
      await Deno.stat(made); // it ran, and no dialog stopped the turn

      await runs(world, "r1", plain(`rm ${victim}`));
      assert.equal(await Deno.readTextFile(victim), "still here\n");
      // Asked to run outside a sandbox as well, it is still refused.
      await runs(world, "r1", asking(world, `rm ${victim}`));
      assert.equal(await Deno.readTextFile(victim), "still here\n");

      // Revived after its tmux server is gone, it keeps its rules.
      assert.equal((await world.tmux(["kill-server"])).code, 0);
      const revived = await world.cli(["revive", "-s", "r1", "--json"]);
      assert.equal(revived.code, 0, revived.stderr + revived.stdout);
      const again = json<Rec>(
        await world.cli(["status", "-s", "r1", "--json"]),
      );
      assert.deepEqual(again.rules, status.rules);
      await runs(world, "r1", plain(`rm ${victim}`));
      assert.equal(await Deno.readTextFile(victim), "still here\n");
      if (codexHome && before) {
        // The session's rules never reached the user's Codex home.
        assert.equal(
          await Deno.readTextFile(join(codexHome, "config.toml")),
          before.config,
        );
        assert.deepEqual(
          [...Deno.readDirSync(join(codexHome, "rules"))].map((e) => e.name),
          before.rules,
        );
      }
    },
    { approvals: true },
  );
}

worldTest(
  "codex",
  "codex rules: in the bypass mode (here from Codex's settings) create warns once that a deny rule does not catch a command it does not match as written; allow rules alone, no warning",
  async (world) => {
    const warning =
      /^aimax: warning: in the bypass mode nothing asks: a shell command your deny rules do not match as written/gm;
    const denied = await world.cli(
      createArgs(world, "d1", "hello", ["--deny", "bash:rm *"]),
    );
    assert.equal(denied.code, 0, denied.stderr);
    assert.equal(denied.stderr.match(warning)?.length, 1, denied.stderr);
    const status = json<Rec>(await world.cli(["status", "-s", "d1", "--json"]));
    assert.equal(status.permission.mode, "bypass");
    const allowed = await world.cli(
      createArgs(world, "d2", "hello", ["--allow", "bash:touch *"]),
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.doesNotMatch(allowed.stderr, warning);
  },
);

/** Rules some agent cannot express; each agent must refuse at least one. */
const HARD_RULES = [
  "edit:src/**",
  "read:.env",
  "bash:npm test*",
  "bash:git push *",
  "bash:echo (x)",
  "tool:WebFetch",
];

for (const agent of RULED) {
  worldTest(
    agent,
    `${agent} rules: each rule its profile cannot express is refused at create, exit 2 naming it, nothing created`,
    async (world) => {
      const profile = profileOf(world.backend);
      const refused = HARD_RULES.filter((rule) => {
        try {
          profile.checkRules!({ allow: [rule], deny: [] });
          return false;
        } catch {
          return true;
        }
      });
      assert.ok(refused.length > 0, `${agent} refuses none of ${HARD_RULES}`);
      for (const rule of refused) {
        const said = await world.cli(
          createArgs(world, "x1", "hello", ["--deny", rule]),
        );
        assert.equal(said.code, 2, said.stderr + said.stdout);
        assert.ok(
          (said.stderr + said.stdout).includes(rule),
          said.stderr + said.stdout,
        );
      }
      const listed = json<Rec[]>(await world.cli(["list", "--json"]));
      assert.deepEqual(listed, []);
    },
  );
}

worldTest(
  "codex",
  "codex rules: a rule Codex cannot express (edit:, a wildcard inside a word) is refused at create, exit 2 naming it, nothing created; so is a word that is not a rule",
  async (world) => {
    for (
      const [flag, rule] of [
        ["--allow", "edit:src/**"],
        ["--deny", "bash:npm test*"],
        ["--allow", "shell:ls"],
      ]
    ) {
      const refused = await world.cli(
        createArgs(world, "x1", "hello", [flag, rule]),
      );
      assert.equal(refused.code, 2, refused.stderr + refused.stdout);
      const said = refused.stderr + refused.stdout;
      assert.ok(said.includes(JSON.stringify(rule).slice(1, -1)), said);
    }
    const listed = json<Rec[]>(await world.cli(["list", "--json"]));
    assert.deepEqual(listed.map((s: Rec) => s.sessionId), []);
  },
);

worldTest(
  "gemini",
  "gemini rules: a rule Gemini CLI cannot express (edit:, read:, a wildcard inside a word, a quote) is refused at create, exit 2 naming it, nothing created",
  async (world) => {
    for (
      const [flag, rule] of [
        ["--allow", "edit:src/**"],
        ["--deny", "read:.env"],
        ["--deny", "bash:rm*"],
        ["--deny", "bash:git 'push' *"],
      ]
    ) {
      const refused = await world.cli(
        createArgs(world, "x1", "hello", [flag, rule]),
      );
      assert.equal(refused.code, 2, refused.stderr + refused.stdout);
      const said = refused.stderr + refused.stdout;
      assert.ok(said.includes(JSON.stringify(rule).slice(1, -1)), said);
      assert.match(said, /cannot be expressed for Gemini CLI/);
    }
    const listed = json<Rec[]>(await world.cli(["list", "--json"]));
    assert.deepEqual(listed, []);
  },
);

worldTest(
  "claude",
  "claude rules: a rule Claude Code's syntax cannot hold is refused at create, exit 2 naming it, nothing created",
  async (world) => {
    const refused = await world.cli(
      createArgs(world, "x1", "hello", ["--allow", "bash:echo (x)"]),
    );
    assert.equal(refused.code, 2, refused.stderr + refused.stdout);
    const said = refused.stderr + refused.stdout;
    assert.ok(said.includes("bash:echo (x)"), said);
    assert.match(said, /invalid_input|cannot be expressed/);
    const listed = json<Rec[]>(await world.cli(["list", "--json"]));
    assert.deepEqual(listed, []);
  },
);

for (const agent of RULED) {
  worldTest(
    agent,
    `${agent} rules: a conversation resumed with --agent-session-id (and no rules of its own) starts again with its rules`,
    async (world) => {
      const victim = join(world.cwd, "keep-me");
      await Deno.writeTextFile(victim, "still here\n");
      const first = await create(world, "r1", "hello", ["--deny", "bash:rm *"]);
      await waitReply(world, "r1", "ack: hello");
      const stopped = await world.cli(["stop", "-s", "r1"]);
      assert.equal(stopped.code, 0, stopped.stderr);
      await create(world, "r2", "again", [
        "--agent-session-id",
        first.agentSessionId,
      ]);
      await waitReply(world, "r2", "ack: again");
      const status = json<Rec>(
        await world.cli(["status", "-s", "r2", "--json"]),
      );
      assert.deepEqual(status.rules, { allow: [], deny: ["bash:rm *"] });
      await runs(world, "r2", plain(`rm ${victim}`));
      assert.equal(await Deno.readTextFile(victim), "still here\n");
    },
    { approvals: true },
  );
}

worldTest(
  "claude",
  "claude rules: edit:GLOB lets a write in the glob run without a dialog and keeps a denied file from being written; read:GLOB keeps a file from being read",
  async (world) => {
    const notes = join(world.cwd, "notes");
    await Deno.mkdir(notes);
    const secret = join(world.cwd, "secret.txt");
    await Deno.writeTextFile(secret, "the password is hunter2\n");
    await create(world, "e1", "hello", [
      "--allow",
      "edit:notes/**",
      "--deny",
      "edit:secret.txt",
      "--deny",
      "read:secret.txt",
    ]);
    await waitReply(world, "e1", "ack: hello");
    const write = (path: string, content: string) =>
      `[[mcp Write ${JSON.stringify({ file_path: path, content })}]]`;

    await runs(world, "e1", write(join(notes, "a.md"), "allowed\n"));
    assert.equal(await Deno.readTextFile(join(notes, "a.md")), "allowed\n");

    await runs(world, "e1", write(secret, "overwritten\n"));
    assert.equal(
      await Deno.readTextFile(secret),
      "the password is hunter2\n",
    );

    await runs(
      world,
      "e1",
      `[[mcp Read ${JSON.stringify({ file_path: secret })}]]`,
    );
    const history = await world.cli(["history", "-s", "e1", "--json"]);
    assert.equal(history.code, 0, history.stderr);
    assert.ok(!history.stdout.includes("hunter2"), "the file was not read");
    assert.match(history.stdout, /mcp done: /);
  },
  { approvals: true },
);
