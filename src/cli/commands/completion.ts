import type { Command } from 'commander';
import type { Context } from '../context.js';
import { UsageError } from '../usage-error.js';

interface Spec {
  readonly commands: { name: string; description: string; options: string[] }[];
  readonly global: string[];
  /** Global options that take a value: the word after one is not the command. */
  readonly globalWithValue: string[];
}

function spec(program: Command): Spec {
  const flags = (c: Command) => c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
  return {
    commands: program.commands.map((c) => ({ name: c.name(), description: c.description().replace(/["'`$\\]/g, ''), options: flags(c) })).concat([{ name: 'help', description: 'show help for a command', options: [] }]),
    global: [...flags(program), '--help', '--version'],
    globalWithValue: program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))),
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

export async function run(ctx: Context, [shell]: unknown[], _opts: unknown, command?: Command): Promise<void> {
  const program = command?.parent;
  if (!program) throw new Error('completion needs the program definition');
  const make = { bash, zsh, fish }[String(shell) as 'bash' | 'zsh' | 'fish'];
  if (!make) throw new UsageError(`unknown shell "${String(shell)}": use bash, zsh or fish`);
  ctx.io.out(make(spec(program)));
}
