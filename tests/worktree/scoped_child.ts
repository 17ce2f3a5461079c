/**
 * A child for the scoped-permission tests: run under `--allow-run=git,sh`
 * only (no group kill allowed), it runs a git call and a setup command
 * that outlive their time limit through a grandchild holding their pipes,
 * and prints how long each took to fail.
 *
 *     deno run --allow-run=git,sh --allow-read --allow-write tests/worktree/scoped_child.ts DIR
 *
 * @module
 */
import { runGit } from "../../lib/worktree/git.ts";
import { runSetup } from "../../lib/worktree/setup.ts";

const dir = Deno.args[0];
const timings: Record<string, number | string> = {};
let started = Date.now();
try {
  await runGit(["-c", "alias.hang=!sleep 3; echo", "hang"], {
    cwd: dir,
    timeoutMs: 300,
  });
  timings.git = "no error";
} catch (error) {
  timings.git = Date.now() - started;
  timings.gitError = (error as Error).message;
}
started = Date.now();
try {
  await runSetup("sleep 3 & wait", {
    cwd: dir,
    logPath: `${dir}/setup.log`,
    timeoutMs: 300,
  });
  timings.setup = "no error";
} catch (error) {
  timings.setup = Date.now() - started;
  timings.setupError = (error as Error).message;
}
console.log(JSON.stringify(timings));
