/**
 * Shell completion scripts for the `aimax` CLI (bash and zsh): commands and
 * each command's options (from the command table), backend names, and the
 * session ids `aimax list` knows.
 *
 * @module
 */
import type { CommandOptions } from "./command.ts";

/** What completion needs to know of one command (a `lib/cli` `Command`). */
export interface CompletedCommand {
  /** The word after `aimax`. */
  readonly name: string;
  /** Its own options, in `parseArgs` form. */
  readonly options: CommandOptions;
  /** Fixed words it takes after its name (`show`, `permissions`). */
  readonly words?: readonly string[];
}

/** What the completion script offers. */
export interface CompletionTable {
  /** The commands, in the order offered. */
  readonly commands: readonly CompletedCommand[];
  /** Backend names to offer after `-b`. */
  readonly backends: readonly string[];
}

/** Long options every command takes (the CLI's common options). */
const COMMON = ["--json", "--help"];

/** Options whose value is a path (completed with file names). */
const PATH_OPTIONS = ["--cwd", "--flag-root", "--prompt-file", "--work-dir"];

function longOptions(options: CommandOptions): string[] {
  return Object.keys(options).map((name) => `--${name}`);
}

/**
 * The completion script for `shell`.
 *
 * @example
 * ```ts
 * import { completionScript } from "./completion_script.ts";
 * import { COMMANDS } from "./mod.ts";
 * console.log(completionScript("bash", {
 *   commands: COMMANDS,
 *   backends: ["tmux-agent"],
 * }));
 * ```
 * @param shell `bash` or `zsh`
 * @param table the commands and backend names to offer
 */
export function completionScript(
  shell: "bash" | "zsh",
  table: CompletionTable,
): string {
  const { commands, backends } = table;
  const everyOption = [
    ...new Set([
      ...commands.flatMap((c) => longOptions(c.options)),
      ...COMMON,
      "--version",
    ]),
  ];
  const words = commands.filter((c) => c.words?.length).map((c) =>
    `    ${c.name}) COMPREPLY=( $(compgen -W "${
      c.words!.join(" ")
    }" -- "$cur") ); return ;;\n`
  ).join("");
  const optionsOf = commands.map((c) =>
    `      ${c.name}) opts="${
      [...longOptions(c.options), ...COMMON].join(" ")
    }" ;;\n`
  ).join("");
  const bash = `# aimax bash completion: eval "$(aimax completion bash)"
_aimax() {
  local cur prev opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    -b|--backend) COMPREPLY=( $(compgen -W "${
    backends.join(" ")
  }" -- "$cur") ); return ;;
    -s|--session) COMPREPLY=( $(compgen -W "$(aimax list 2>/dev/null | awk '$1 != "no" {print $1}')" -- "$cur") ); return ;;
    ${PATH_OPTIONS.join("|")}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
${words}  esac
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${
    commands.map((c) => c.name).join(" ")
  }" -- "$cur") )
  else
    case "\${COMP_WORDS[1]}" in
${optionsOf}      *) opts="${everyOption.join(" ")}" ;;
    esac
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  fi
}
complete -F _aimax aimax
`;
  if (shell === "bash") return bash;
  return `#compdef aimax
# aimax zsh completion: eval "$(aimax completion zsh)"
autoload -U +X bashcompinit && bashcompinit
${bash}`;
}
