/**
 * tmux's own splitting of its argv into commands, and how an argument is
 * kept whole.
 *
 * @module
 */

/**
 * tmux splits its argv into commands at every argument that ends in `;`
 * (and turns a trailing `\;` into `;`). An argument that must arrive as
 * given is escaped so that it ends in `\;` instead.
 *
 * @param arg one argument
 */
export function literal(arg: string): string {
  return arg.endsWith(";") ? `${arg.slice(0, -1)}\\;` : arg;
}
