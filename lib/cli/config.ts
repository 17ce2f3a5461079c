/**
 * `aimax config show | config permissions`: the active settings; the scoped
 * Deno permission flags for them.
 *
 * @module
 */
import { describeConfig, getConfig } from "../config.ts";
import { permissionFlags } from "../permissions.ts";
import { remoteServerUrl } from "../remote/server.ts";
import { type CommandContext, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";
import type { CONFIG_OPTIONS } from "./options.ts";

/**
 * Runs `aimax config show` and
 * `aimax config permissions [--work-dir DIR ...] [--worktrees]`.
 *
 * @example
 * ```ts ignore
 * import { config } from "./config.ts";
 * const code = await config(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function config(
  { values, args, io, emit }: CommandContext<typeof CONFIG_OPTIONS>,
): Promise<number> {
  if (args[0] === "permissions") {
    const flags = await permissionFlags(getConfig(), {
      workDirs: values["work-dir"] ?? [],
      serve: values.serve,
      server: remoteServerUrl(values.server),
      worktrees: values.worktrees,
    });
    emit({ flags }, () => io.out(flags.join("\n")));
    return EXIT.ok;
  }
  if (args[0] !== "show") {
    throw new UsageError(
      "usage: aimax config show | aimax config permissions",
    );
  }
  const rows = describeConfig(getConfig());
  emit(
    {
      config: getConfig(),
      env: Object.fromEntries(rows.map((r) => [r.env, r.key])),
      rows,
    },
    () => {
      for (const row of rows) {
        io.out(
          `${row.key.padEnd(18)} ${String(row.value).padEnd(50)} ${row.env}${
            row.envValue !== undefined ? " (set)" : ""
          }`,
        );
      }
    },
  );
  return EXIT.ok;
}
