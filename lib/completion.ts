/**
 * Shell completion scripts for the `aimax` CLI (bash and zsh): commands,
 * options, backend names, and the session ids `aimax list` knows.
 *
 * @module
 */

/** The CLI's commands, for completion. */
export const COMMANDS = [
  "create",
  "send",
  "pause",
  "stop",
  "list",
  "status",
  "history",
  "stream",
  "config",
  "completion",
] as const;

/** The CLI's long options, for completion. */
export const LONG_OPTIONS = [
  "--backend",
  "--session",
  "--cwd",
  "--prompt",
  "--prompt-file",
  "--model",
  "--flag-root",
  "--display-name",
  "--agent-session-id",
  "--use-proxy",
  "--no-proxy",
  "--from-sentinel",
  "--limit",
  "--work-dir",
  "--json",
  "--help",
  "--version",
] as const;

/**
 * The completion script for `shell`.
 *
 * @example
 * ```ts
 * import { completionScript } from "./completion.ts";
 * console.log(completionScript("bash", ["tmux-claude-code", "tmux-codex"]));
 * ```
 * @param shell `bash` or `zsh`
 * @param backends backend names to offer after `-b`
 */
export function completionScript(
  shell: "bash" | "zsh",
  backends: readonly string[],
): string {
  const bash = `# aimax bash completion: eval "$(aimax completion bash)"
_aimax() {
  local cur prev
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  case "$prev" in
    -b|--backend) COMPREPLY=( $(compgen -W "${
    backends.join(" ")
  }" -- "$cur") ); return ;;
    -s|--session) COMPREPLY=( $(compgen -W "$(aimax list 2>/dev/null | awk '$1 != "no" {print $1}')" -- "$cur") ); return ;;
    --cwd|--flag-root|--prompt-file|--work-dir) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    config) COMPREPLY=( $(compgen -W "show permissions" -- "$cur") ); return ;;
    completion) COMPREPLY=( $(compgen -W "bash zsh" -- "$cur") ); return ;;
  esac
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${COMMANDS.join(" ")}" -- "$cur") )
  else
    COMPREPLY=( $(compgen -W "${LONG_OPTIONS.join(" ")}" -- "$cur") )
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
