/**
 * `aimax config show | config permissions`: the active settings; the scoped
 * Deno permission flags for them.
 *
 * @module
 */
import { describeConfig, getConfig } from "../config.ts";
import { permissionFlags } from "../permissions.ts";
import { remoteServerUrl } from "../remote/server.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import { UsageError } from "../errors.ts";

/**
 * `aimax config show` and `aimax config permissions [--work-dir DIR ...]`.
 *
 * @example
 * ```ts
 * import { config } from "./config.ts";
 * console.log(config.words); // ["show", "permissions"]
 * ```
 */
export const config = defineCommand({
  name: "config",
  summary: "config show | config permissions: settings; the scoped Deno flags",
  help: `Usage: aimax config show
       aimax config permissions [--work-dir DIR ...] [--serve HOST:PORT]
                                [--server URL]

show: every active setting, its value and the environment variable that sets it.
permissions: the narrowest \`deno run\` permission flags for this config,
  given the working directories your sessions use; with --serve, also the
  network address \`aimax serve\` binds (and AIMAX_SERVE_TOKEN); with
  --server (or AIMAX_SERVER), the address of the server the CLI runs
  against (and AIMAX_SERVE_TOKEN). config runs on this host either way.
${COMMON_HELP}`,
  options: {
    "work-dir": { type: "string", multiple: true },
    serve: { type: "string" },
  },
  words: ["show", "permissions"],
  async run({ values, args, io, emit }) {
    if (args[0] === "permissions") {
      const flags = await permissionFlags(getConfig(), {
        workDirs: values["work-dir"] ?? [],
        serve: values.serve,
        server: remoteServerUrl(values.server),
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
  },
});
