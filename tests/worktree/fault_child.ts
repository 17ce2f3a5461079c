/**
 * A child process for the fault tests: runs `addWorktree` or
 * `mergeWorktree` with the options in `AIMAX_FAULT_OPTIONS` (JSON) and,
 * when the step named in `AIMAX_FAULT_PAUSE_AT` is done, prints
 * `paused <step>` and waits to be killed. Prints `done` when it finishes.
 *
 *     deno run -A tests/worktree/fault_child.ts add|merge
 *
 * @module
 */
import { addWorktree } from "../../lib/worktree/add.ts";
import { mergeWorktree } from "../../lib/worktree/merge.ts";

const pauseAt = Deno.env.get("AIMAX_FAULT_PAUSE_AT");
const options = JSON.parse(Deno.env.get("AIMAX_FAULT_OPTIONS") ?? "{}");

/** At the named step: says so, then never returns. */
async function onStep(step: string): Promise<void> {
  if (step !== pauseAt) return;
  await Deno.stdout.write(new TextEncoder().encode(`paused ${step}\n`));
  // A timer keeps the process alive (a bare pending promise would not).
  await new Promise((resolve) => setTimeout(resolve, 3_600_000));
  throw new Error(`still paused at ${step} after an hour`);
}

if (Deno.args[0] === "add") {
  await addWorktree({ ...options, onStep });
} else if (Deno.args[0] === "merge") {
  await mergeWorktree({ ...options, onStep });
} else {
  throw new Error(`usage: fault_child.ts add|merge, got ${Deno.args[0]}`);
}
console.log("done");
