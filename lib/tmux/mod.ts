/**
 * tmux, driven through `Deno.Command` and modelled on libtmux: every query
 * uses `-F` formats, every target is an id (`$N`, `@N`, `%N`), never a name
 * a user chose; arguments travel as an argv array, never as a shell string.
 *
 * - `client.ts`: {@linkcode TmuxClient}, bound to one server;
 * - `format.ts`: the formats asked for and their parsing ({@linkcode PaneInfo});
 * - `captures.ts`: many panes' text in one invocation;
 * - `argv.ts`: keeping an argument whole (tmux splits at a trailing `;`).
 *
 * @module
 */
export {
  type NewWindowOptions,
  type NewWindowResult,
  TmuxClient,
  type TmuxClientOptions,
  type TmuxRun,
} from "./client.ts";
export type { PaneInfo } from "./format.ts";
