/**
 * `deno task compile`: builds the single `aimax` binary for each supported
 * target, from `cli.ts` (the fast entry: it loads a command's code only
 * when the command runs), with its permissions baked in. `deno compile`
 * fetches its runtime (denort) from Deno's download host; where that host
 * cannot be reached the build fails with Deno's own error.
 *
 * ```sh
 * deno task compile                       # every target
 * deno task compile x86_64-unknown-linux-gnu
 * ```
 *
 * @module
 */
import { join, resolve } from "node:path";

/** The targets built by default. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
] as const;

/**
 * The permissions baked into the binary: the programs it runs are tmux
 * (which starts the agents), `ps` and `kill` (to end an agent that outlives
 * its window with its process tree) and, for sessions in worktrees, `git`
 * and `sh` (a `--setup` command); file and environment access stay open because their paths differ per user
 * (a compiled binary cannot expand `$HOME`), and so does the network, for
 * `aimax serve` and the remote CLI (their host and port are chosen at run
 * time: `--host`, `--port`, `--server`); no FFI or system info.
 */
export const BAKED_PERMISSIONS = [
  "--no-prompt",
  "--allow-run=tmux,kill,ps,git,sh",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-net",
] as const;

/**
 * The `deno compile` argv for one target.
 *
 * @param target a Deno compile target
 * @param root the project root
 */
export function compileArgs(target: string, root: string): string[] {
  return [
    "compile",
    ...BAKED_PERMISSIONS,
    "--target",
    target,
    "--output",
    join(root, "dist", `aimax-${target}`),
    join(root, "cli.ts"),
  ];
}

if (import.meta.main) {
  const root = resolve(new URL("..", import.meta.url).pathname);
  const targets = Deno.args.length > 0 ? Deno.args : [...TARGETS];
  let failed = 0;
  for (const target of targets) {
    console.log(`deno ${compileArgs(target, root).join(" ")}`);
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: compileArgs(target, root),
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) failed++;
  }
  if (failed > 0) {
    console.error(
      `${failed} of ${targets.length} targets failed (deno compile needs Deno's download host for its runtime)`,
    );
    Deno.exit(1);
  }
}
