/**
 * `aimax doctor`: checks tmux, the agents, the data dir and the permission
 * set, and starts each agent once to see that its screens and signals are
 * the ones this release knows.
 *
 * @module
 */
import { getConfig } from "../config.ts";
import { type DoctorCheck, runDoctor } from "../doctor.ts";
import { get } from "../registry.ts";
import { paint } from "../terminal.ts";
import { BACKEND_OPTION } from "./shared.ts";
import { COMMON_HELP, defineCommand, EXIT } from "./command.ts";

const MARK = { ok: "ok  ", warn: "warn", fail: "FAIL" } as const;
const COLOUR = { ok: "green", warn: "yellow", fail: "red" } as const;

/**
 * `aimax doctor [-b BACKEND] [--quick]`.
 *
 * @example
 * ```ts
 * import { doctor } from "./doctor.ts";
 * console.log(doctor.help);
 * ```
 */
export const doctor = defineCommand({
  name: "doctor",
  summary: "check tmux, the agents (versions, screens, hooks) and setup",
  help: `Usage: aimax doctor [-b BACKEND] [--quick]

Checks tmux (version), the data dir, the permission set, and each agent:
found, and (unless --quick) started once in a scratch window (no prompt is
sent, no model is called) to see that its ready screen is recognised, its
version is within the range this release was tested with, and its hooks fire.
Each line says ok, warn or FAIL, with a fix. Exit 1 when any check fails.
  --quick                do not start the agents
With --json: [{name, status, detail, fix?}].
${COMMON_HELP}`,
  options: { ...BACKEND_OPTION, quick: { type: "boolean" } },
  localOnly: true,
  async run({ values, io, json }) {
    if (values.backend) get(values.backend); // an unknown name: exit 2
    const checks: DoctorCheck[] = await runDoctor(getConfig(), {
      backends: values.backend ? [values.backend] : undefined,
      startAgents: !values.quick,
    });
    if (json) {
      io.out(JSON.stringify(checks));
    } else {
      const color = io.color?.() ?? false;
      for (const c of checks) {
        io.out(
          `${
            paint(MARK[c.status], COLOUR[c.status], color)
          }  ${c.name}: ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ""}`,
        );
      }
    }
    return checks.some((c) => c.status === "fail") ? EXIT.failure : EXIT.ok;
  },
});
