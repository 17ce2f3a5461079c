import assert from "node:assert/strict";
import { COMMANDS, completionScript } from "../lib/completion.ts";

Deno.test("completion: the bash script is valid bash and completes commands and backends", async () => {
  const script = completionScript("bash", ["tmux-claude-code", "tmux-codex"]);
  for (const command of COMMANDS) assert.ok(script.includes(command));
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
  const script = completionScript("zsh", ["tmux-codex"]);
  assert.match(script, /^#compdef aimax/);
  assert.match(script, /bashcompinit/);
});
