import { defineCommand, type CommandSpec, type GroupSpec, type Values } from '../command-spec.js';
import type { Context } from '../context.js';
import { GLOBAL_OPTIONS, optionFlags, takesValue } from '../global-options.js';
import { UsageError } from '../usage-error.js';

export const spec = defineCommand({
  name: 'completion',
  description: 'print a shell completion script',
  args: {
    shell: { required: true, description: 'bash, zsh or fish' },
  },
  options: {},
  examples: [
    'source <(twauth completion bash)',
    'twauth completion bash > ~/.local/share/bash-completion/completions/twauth',
    'twauth completion fish > ~/.config/fish/completions/twauth.fish',
  ],
  json: '{"shell", "script"}',
});

interface Spec {
  readonly commands: { name: string; description: string; options: string[] }[];
  readonly global: string[];
  /** Global options that take a value: the word after one is not the command. */
  readonly globalWithValue: string[];
}

/** What the scripts complete, from the same declarations the command line is built from. */
function completionSpec(commands: readonly (CommandSpec | GroupSpec)[]): Spec {
  const flags = (c: CommandSpec | GroupSpec) => ('options' in c ? Object.values(c.options).flatMap((o) => optionFlags(o.flags)) : []);
  const global = Object.values(GLOBAL_OPTIONS);
  return {
    commands: commands
      .filter((c) => !c.name.includes(' '))
      .map((c) => ({ name: c.name, description: c.description.replace(/["'`$\\]/g, ''), options: flags(c) }))
      .concat([{ name: 'help', description: 'show help for a command', options: [] }]),
    global: ['--version', '-V', ...global.flatMap((o) => optionFlags(o.flags)), '--help', '--version'],
    globalWithValue: global.filter((o) => takesValue(o.flags)).flatMap((o) => optionFlags(o.flags)),
  };
}

// Account names are listed at completion time (they change), from the metadata only: no
// keychain access, no network.
const ACCOUNTS = `twauth accounts --json 2>/dev/null | sed -n 's/.*"username": "\\([^"]*\\)".*/\\1/p'`;

function bash(s: Spec): string {
  const cases = s.commands.map((c) => `    ${c.name}) opts="${c.options.join(' ')}" ;;`).join('\n');
  return `# twauth bash completion: source <(twauth completion bash)
_twauth() {
  local cur prev cmd opts i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in ${s.globalWithValue.join('|')}) ((i++)) ;; -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  if [[ "$prev" == "--account" ]]; then COMPREPLY=($(compgen -W "$(${ACCOUNTS})" -- "$cur")); return; fi
  case "$cmd" in
    "") COMPREPLY=($(compgen -W "${s.commands.map((c) => c.name).join(' ')} ${s.global.join(' ')}" -- "$cur")); return ;;
    switch) if [[ "$cur" != -* ]]; then COMPREPLY=($(compgen -W "$(${ACCOUNTS})" -- "$cur")); return; fi ;;
    completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")); return ;;
    help) COMPREPLY=($(compgen -W "${s.commands.map((c) => c.name).join(' ')}" -- "$cur")); return ;;
  esac
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  COMPREPLY=($(compgen -W "$opts ${s.global.join(' ')}" -- "$cur"))
}
complete -o default -F _twauth twauth
`;
}

function zsh(s: Spec): string {
  const cmds = s.commands.map((c) => `    '${c.name}:${c.description}'`).join('\n');
  const cases = s.commands.map((c) => `    ${c.name}) opts=(${c.options.join(' ')}) ;;`).join('\n');
  return `#compdef twauth
# twauth zsh completion: source <(twauth completion zsh)
_twauth() {
  local -a commands opts accounts
  local cmd="" i
  commands=(
${cmds}
  )
  accounts=(\${(f)"$(${ACCOUNTS})"})
  # The command is the first word that is not an option, nor the value of a global option.
  for (( i = 2; i < CURRENT; i++ )); do
    case "\${words[i]}" in ${s.globalWithValue.join('|')}) (( i++ )) ;; -*) ;; *) cmd="\${words[i]}"; break ;; esac
  done
  if [[ "\${words[CURRENT-1]}" == --account ]]; then compadd -a accounts; return; fi
  case "$cmd" in
    "") _describe 'command' commands; compadd -- ${s.global.join(' ')}; return ;;
    switch) [[ "\${words[CURRENT]}" != -* ]] && { compadd -a accounts; return; } ;;
    completion) compadd bash zsh fish; return ;;
    help) _describe 'command' commands; return ;;
  esac
  case "$cmd" in
${cases}
  esac
  compadd -- $opts ${s.global.join(' ')}
}
compdef _twauth twauth
`;
}

function fish(s: Spec): string {
  const lines = ['# twauth fish completion: twauth completion fish | source', 'complete -c twauth -f'];
  for (const c of s.commands) lines.push(`complete -c twauth -n '__fish_use_subcommand' -a ${c.name} -d '${c.description}'`);
  for (const c of s.commands) for (const o of c.options.filter((o) => o.startsWith('--'))) lines.push(`complete -c twauth -n '__fish_seen_subcommand_from ${c.name}' -l ${o.slice(2)}`);
  for (const g of s.global.filter((o) => o.startsWith('--'))) lines.push(`complete -c twauth -l ${g.slice(2)}`);
  lines.push(`complete -c twauth -n '__fish_seen_subcommand_from switch' -a '(${ACCOUNTS.replace(/'/g, "\\'")})'`);
  lines.push(`complete -c twauth -l account -x -a '(${ACCOUNTS.replace(/'/g, "\\'")})'`);
  lines.push(`complete -c twauth -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'`);
  return lines.join('\n') + '\n';
}

const SHELLS = { bash, zsh, fish };

export async function run(ctx: Context, { shell }: Values<typeof spec>): Promise<void> {
  if (!Object.hasOwn(SHELLS, shell)) throw new UsageError(`unknown shell "${shell}": use bash, zsh or fish`);
  // Imported here, not at the top: the registry imports this file.
  const { COMMANDS } = await import('../registry.js');
  const script = SHELLS[shell as keyof typeof SHELLS](completionSpec(COMMANDS));
  ctx.io.out(ctx.settings.json ? JSON.stringify({ shell, script }) : script);
}
