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
import { type CommandContext, EXIT } from "./command.ts";
import type { DOCTOR_OPTIONS } from "./options.ts";

const MARK = { ok: "ok  ", warn: "warn", skip: "skip", fail: "FAIL" } as const;
const COLOUR = {
  ok: "green",
  warn: "yellow",
  skip: "dim",
  fail: "red",
} as const;

/**
 * Runs `aimax doctor [-b BACKEND] [--quick]`.
 *
 * @example
 * ```ts ignore
 * import { doctor } from "./doctor.ts";
 * const code = await doctor(ctx);
 * ```
 * @param ctx the parsed command line
 */
export async function doctor(
  { values, io, json }: CommandContext<typeof DOCTOR_OPTIONS>,
): Promise<number> {
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
}
