import assert from "node:assert/strict";
import { completionScript } from "../../lib/cli/completion_script.ts";
import { COMMANDS } from "../../lib/cli/mod.ts";

const BACKENDS = ["tmux-claude-code", "tmux-codex"];

async function complete(script: string, words: string[]): Promise<string> {
  const check = await new Deno.Command("bash", {
    args: [
      "-c",
      `${script}\nCOMP_WORDS=(${words.join(" ")}); COMP_CWORD=${
        words.length - 1
      }; _aimax; echo "\${COMPREPLY[*]}"`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
  return new TextDecoder().decode(check.stdout).trim();
}

Deno.test("completion: the bash script is valid bash and completes commands and backends", async () => {
  const script = completionScript("bash", {
    commands: COMMANDS,
    backends: BACKENDS,
  });
  for (const { name } of COMMANDS) assert.ok(script.includes(name));
  const check = await new Deno.Command("bash", {
    args: [
      "-c",
      `${script}\nCOMP_WORDS=(aimax cr); COMP_CWORD=1; _aimax; echo "\${COMPREPLY[*]}";` +
      `COMP_WORDS=(aimax create -b tmux-c); COMP_CWORD=3; _aimax; echo "\${COMPREPLY[*]}"`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(check.stdout).split("\n");
  assert.equal(check.code, 0, new TextDecoder().decode(check.stderr));
  assert.equal(out[0], "create");
  assert.equal(out[1], "tmux-claude-code tmux-codex");
});

Deno.test("completion: the zsh script loads bash completion", () => {
  const script = completionScript("zsh", {
    commands: COMMANDS,
    backends: ["tmux-codex"],
  });
  assert.match(script, /^#compdef aimax/);
  assert.match(script, /bashcompinit/);
});

Deno.test("completion: each command offers its own options and words, from the table", async () => {
  const script = completionScript("bash", {
    commands: COMMANDS,
    backends: BACKENDS,
  });
  assert.equal(
    await complete(script, ["aimax", "stop", "--"]),
    "--backend --session --discard --verbose --json --help",
  );
  // The worktree commands and options come from the table too.
  assert.equal(await complete(script, ["aimax", "di"]), "diff");
  assert.equal(await complete(script, ["aimax", "rev"]), "revive");
  assert.equal(await complete(script, ["aimax", "diff", "--st"]), "--stat");
  assert.equal(
    await complete(script, ["aimax", "merge", "--"]),
    "--backend --session --squash --message --json --help",
  );
  assert.equal(
    await complete(script, ["aimax", "create", "--re"]),
    "--reuse-branch",
  );
  assert.equal(
    await complete(script, ["aimax", "history", "--l"]),
    "--limit",
  );
  assert.equal(await complete(script, ["aimax", "list", "--cwd"]), "");
  assert.equal(
    await complete(script, ["aimax", "config", ""]),
    "show permissions",
  );
  assert.equal(await complete(script, ["aimax", "completion", ""]), "bash zsh");
  assert.equal(await complete(script, ["aimax", "--vers"]), "");
  assert.equal(
    await complete(script, ["aimax", "-b", "tmux-codex", "--vers"]),
    "--version",
  );
});
