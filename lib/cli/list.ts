/**
 * `aimax list`: every session with its status.
 *
 * @module
 */
import type { SessionStatus } from "../backend/mod.ts";
import { get, SUPPORTED_BACKENDS } from "../registry.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";
import { BACKEND_OPTION, printStatus } from "./shared.ts";

/**
 * `aimax list [-b BACKEND]`.
 *
 * @example
 * ```ts
 * import { list } from "./list.ts";
 * console.log(list.help);
 * ```
 */
export const list = defineCommand({
  name: "list",
  summary: "every session with its status",
  help: `Usage: aimax list [-b BACKEND]

Every session (of one backend, or all) with alive/working/flag status.
${COMMON_HELP}`,
  options: { ...BACKEND_OPTION },
  async run({ values, io, emit }) {
    const names = values.backend ? [values.backend] : SUPPORTED_BACKENDS;
    const rows: SessionStatus[] = [];
    for (const name of names) rows.push(...await get(name).listSessions());
    emit(rows, () => {
      if (rows.length === 0) io.out("no sessions");
      for (const row of rows) printStatus(io, row);
    });
    return EXIT.ok;
  },
});
