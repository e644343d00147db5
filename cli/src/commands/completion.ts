import type { Command } from 'commander';
import type { Io } from '../context.js';
import { usageError } from '../errors.js';

const SHELLS = ['bash', 'zsh'] as const;
type Shell = (typeof SHELLS)[number];

/**
 * What may follow each command path ("branchpoint", "branchpoint containers", ...): its
 * subcommands and long options. Read from the command tree, so new commands complete as well.
 */
export function completionWords(program: Command): Map<string, string[]> {
  const words = new Map<string, string[]>();
  const walk = (command: Command, path: string): void => {
    const options = command.options
      .map((option) => option.long)
      .filter((long): long is string => long !== undefined);
    words.set(path, [...command.commands.map((sub) => sub.name()), ...options, '--help']);
    for (const sub of command.commands) walk(sub, `${path} ${sub.name()}`);
  };
  walk(program, program.name());
  return words;
}

/** One shell-quoted word ('...' with ' escaped), safe in bash and zsh. */
const quote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** The words as lines of an associative array: bash wants `[key]=value`, zsh `key value`. */
function table(words: Map<string, string[]>, shell: Shell): string {
  return [...words]
    .map(([path, next]) =>
      shell === 'bash'
        ? `  [${quote(path)}]=${quote(next.join(' '))}`
        : `  ${quote(path)} ${quote(next.join(' '))}`,
    )
    .join('\n');
}

// Both scripts walk the words typed so far, follow those that name a subcommand, and offer
// what may follow the deepest command reached (options are skipped, not followed).
function bashScript(words: Map<string, string[]>): string {
  return `# branchpoint completion for bash: eval "$(branchpoint completion bash)"
declare -A _branchpoint_words
_branchpoint_words=(
${table(words, 'bash')}
)
_branchpoint() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath=branchpoint candidate i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ \${COMP_WORDS[i]} == -* ]] && continue
    candidate="$cmdpath \${COMP_WORDS[i]}"
    [[ -n \${_branchpoint_words[$candidate]+set} ]] && cmdpath=$candidate
  done
  COMPREPLY=($(compgen -W "\${_branchpoint_words[$cmdpath]}" -- "$cur"))
}
complete -o default -F _branchpoint branchpoint
`;
}

function zshScript(words: Map<string, string[]>): string {
  return `#compdef branchpoint
# branchpoint completion for zsh: eval "$(branchpoint completion zsh)" (after compinit)
typeset -gA _branchpoint_words
_branchpoint_words=(
${table(words, 'zsh')}
)
_branchpoint() {
  local cmdpath=branchpoint candidate w
  for w in "\${(@)words[2,CURRENT-1]}"; do
    [[ $w == -* ]] && continue
    candidate="$cmdpath $w"
    (( \${+_branchpoint_words[$candidate]} )) && cmdpath=$candidate
  done
  compadd -- \${=_branchpoint_words[$cmdpath]}
}
compdef _branchpoint branchpoint
`;
}

/** The completion script of a shell for this command tree. */
export function completionScript(shell: Shell, program: Command): string {
  const words = completionWords(program);
  return shell === 'bash' ? bashScript(words) : zshScript(words);
}

/** `completion bash|zsh`: prints the shell's completion script (docs/cli.md). */
export function registerCompletionCommand(program: Command, io: Io): void {
  program
    .command('completion <shell>')
    .description(
      `print shell completion (${SHELLS.join(', ')}): eval "$(branchpoint completion bash)"`,
    )
    .action((shell: string) => {
      if (!SHELLS.includes(shell as Shell))
        throw usageError(`unknown shell ${shell}: use ${SHELLS.join(' or ')}`);
      io.stdout.write(completionScript(shell as Shell, program));
    });
}
