import { SANDBOX_USERS } from '../../emulator/sandbox-defaults.js';
import {
  defineCommand,
  type CommandSpec as Declaration,
  type GroupSpec,
  type OptionSpec as OptionDeclaration,
  type Values,
} from '../command-spec.js';
import { COMPLETION_HELP } from '../completion-help.js';
import type { Context } from '../context.js';
import { GLOBAL_OPTIONS, optionFlags, takesValue } from '../global-options.js';
import { UsageError } from '../usage-error.js';

export const spec = defineCommand({
  name: 'completion',
  topic: 'shell',
  description: 'print a shell completion script',
  args: {
    shell: { required: true, description: 'bash, zsh or fish' },
  },
  options: {},
  help: COMPLETION_HELP.trim(),
  examples: [
    'twauth completion bash > ~/.local/share/bash-completion/completions/twauth',
    'source <(twauth completion bash)',
    'twauth completion fish > ~/.config/fish/completions/twauth.fish',
  ],
  json: '{"shell", "script"}',
});

/** What a value of an option or argument completes to. */
type Completes =
  | { readonly words: readonly string[] }
  | { readonly accounts: true }
  | { readonly files: true }
  | { readonly free: true };

interface OptionSpec {
  readonly flags: readonly string[];
  /** Undefined for a switch (no value). */
  readonly value?: Completes | undefined;
}

interface CommandSpec {
  /** "switch", or "sandbox approve" for a subcommand. */
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** What the first positional argument completes to. */
  readonly argument?: Completes | undefined;
  readonly subcommands?: readonly string[] | undefined;
}

interface Spec {
  readonly commands: readonly CommandSpec[];
  readonly global: readonly OptionSpec[];
}

// Account names are listed at completion time (they change), from the metadata only: no
// keychain access, no network.
const ACCOUNTS = `twauth accounts --json 2>/dev/null | sed -n 's/.*"username": "\\([^"]*\\)".*/\\1/p'`;

/** Values known from the declarations: choices, account names, the sandbox's users, files. */
function optionValues(o: OptionDeclaration): Completes | undefined {
  if (!takesValue(o.flags)) return undefined;
  if (o.type === 'choice') return { words: o.choices };
  const long = optionFlags(o.flags)[0] ?? '';
  if (long === '--account') return { accounts: true };
  if (long === '--user') return { words: SANDBOX_USERS.map((u) => u.username) };
  if (/^--(state|input|from-twurlrc|from-xurl)$/.test(long)) return { files: true };
  return { free: true };
}

function argumentValues(name: string): Completes | undefined {
  if (name === 'switch' || name === 'logout') return { accounts: true };
  if (name === 'completion') return { words: ['bash', 'zsh', 'fish'] };
  return undefined;
}

function optionsOf(options: { readonly [name: string]: OptionDeclaration }): OptionSpec[] {
  return Object.values(options).map((o) => ({ flags: optionFlags(o.flags), value: optionValues(o) }));
}

/** What the scripts complete, from the same declarations the command line is built from. */
export function completionSpec(declared: readonly (Declaration | GroupSpec)[]): Spec {
  const commands: CommandSpec[] = [];
  const byName = new Map(declared.map((d) => [d.name, d]));
  for (const d of declared) {
    if (d.name.includes(' ')) {
      commands.push({ name: d.name, description: d.description, options: 'options' in d ? optionsOf(d.options) : [] });
      continue;
    }
    const subs = declared.filter((x) => x.name.startsWith(`${d.name} `));
    // A group named alone runs its default command ("sandbox" = "sandbox run"): its options.
    const dflt = subs.find((x) => 'isDefault' in x && x.isDefault) ?? byName.get(d.name);
    const options = dflt && 'options' in dflt ? optionsOf(dflt.options) : [];
    commands.push({
      name: d.name,
      description: d.description,
      options,
      argument: argumentValues(d.name),
      subcommands: subs.length ? subs.map((x) => x.name.split(' ')[1]!) : undefined,
    });
  }
  commands.push({
    name: 'help',
    description: 'show help for a command',
    options: [],
    argument: { words: commands.filter((c) => !c.name.includes(' ')).map((c) => c.name) },
  });
  const global: OptionSpec[] = [
    { flags: ['--version', '-V'] },
    ...optionsOf(GLOBAL_OPTIONS),
    { flags: ['--help', '-h'] },
  ];
  return { commands, global };
}

const longs = (opts: readonly OptionSpec[]) => [
  ...new Set(opts.flatMap((o) => o.flags.filter((f) => f.startsWith('--')))),
];
const top = (s: Spec) => s.commands.filter((c) => !c.name.includes(' '));
/** Every option that takes a value: the word after it is never a command. */
const withValue = (s: Spec) => [
  ...new Set([...s.global, ...s.commands.flatMap((c) => c.options)].filter((o) => o.value).flatMap((o) => o.flags)),
];

/** Value completions by option, for the shells' "previous word" cases. */
function valueCases(s: Spec): { flags: string[]; values: Completes }[] {
  const seen = new Map<string, { flags: string[]; values: Completes }>();
  for (const o of [...s.global, ...s.commands.flatMap((c) => c.options)]) {
    if (!o.value || 'free' in o.value) continue;
    const key = o.flags.join('|');
    if (!seen.has(key)) seen.set(key, { flags: [...o.flags], values: o.value });
  }
  return [...seen.values()];
}

function bash(s: Spec): string {
  const words = (v: Completes) =>
    'words' in v
      ? `COMPREPLY=($(compgen -W "${v.words.join(' ')}" -- "$cur"))`
      : 'accounts' in v
        ? `COMPREPLY=($(compgen -W "$(${ACCOUNTS})" -- "$cur"))`
        : 'COMPREPLY=()';
  const prevCases = valueCases(s)
    .map((c) => `    ${c.flags.join('|')}) ${words(c.values)}; return ;;`)
    .join('\n');
  const free = withValue(s).filter((f) => !valueCases(s).some((c) => c.flags.includes(f)));
  const argCases = s.commands
    .filter((c) => c.argument || c.subcommands)
    .map((c) => {
      const w = c.subcommands
        ? `COMPREPLY=($(compgen -W "${c.subcommands.join(' ')} ${longs(c.options).join(' ')} ${longs(s.global).join(' ')}" -- "$cur"))`
        : words(c.argument!);
      const guard = c.subcommands ? '[[ -z "$sub" ]]' : '[[ "$cur" != -* ]]';
      return `    ${c.name}) if ${guard}; then ${w}; return; fi ;;`;
    });
  const optCases = s.commands.map((c) => `    "${c.name}") opts="${longs(c.options).join(' ')}" ;;`).join('\n');
  const subOf = s.commands
    .filter((c) => c.subcommands)
    .map((c) => `${c.name}) case "$w" in ${c.subcommands!.join('|')}) sub="$w" ;; esac ;;`)
    .join(' ');
  return `# twauth bash completion (twauth completion --help says how to install it)
_twauth() {
  local cur prev cmd sub opts i w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""; sub=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      ${withValue(s).join('|')}) ((i++)) ;;
      -*) ;;
      *) if [[ -z "$cmd" ]]; then cmd="$w"; elif [[ -z "$sub" ]]; then case "$cmd" in ${subOf || '*) ;;'} esac; fi ;;
    esac
  done
  case "$prev" in
${prevCases}
    ${free.length ? `${free.join('|')}) COMPREPLY=(); return ;;` : ''}
  esac
  case "$cmd" in
    "") COMPREPLY=($(compgen -W "${top(s)
      .map((c) => c.name)
      .join(' ')} ${longs(s.global).join(' ')}" -- "$cur")); return ;;
${argCases.join('\n')}
  esac
  case "$cmd\${sub:+ $sub}" in
${optCases}
    *) opts="" ;;
  esac
  COMPREPLY=($(compgen -W "$opts ${longs(s.global).join(' ')}" -- "$cur"))
}
complete -o default -F _twauth twauth
`;
}

/** A zsh double-quoted word: \\ " $ and \` escaped; ':' escaped for _describe. */
function zq(text: string): string {
  return `"${text.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

function zsh(s: Spec): string {
  const cmds = top(s)
    .map((c) => `    ${zq(`${c.name}:${c.description.replace(/:/g, '\\:')}`)}`)
    .join('\n');
  const add = (v: Completes) =>
    'words' in v
      ? `compadd -- ${v.words.join(' ')}`
      : 'accounts' in v
        ? 'compadd -a accounts'
        : 'files' in v
          ? '_files'
          : ':';
  const prevCases = valueCases(s)
    .map((c) => `    ${c.flags.join('|')}) ${add(c.values)}; return ;;`)
    .join('\n');
  const free = withValue(s).filter((f) => !valueCases(s).some((c) => c.flags.includes(f)));
  const argCases = s.commands
    .filter((c) => c.argument || c.subcommands)
    .map((c) => {
      if (c.subcommands)
        return `    ${c.name}) [[ -z "$sub" ]] && { compadd -- ${c.subcommands.join(' ')} ${longs(c.options).join(' ')} ${longs(s.global).join(' ')}; return; } ;;`;
      if (c.name === 'help') return `    help) _describe 'command' commands; return ;;`;
      return `    ${c.name}) [[ "\${words[CURRENT]}" != -* ]] && { ${add(c.argument!)}; return; } ;;`;
    });
  const optCases = s.commands.map((c) => `    ${zq(c.name)}) opts=(${longs(c.options).join(' ')}) ;;`).join('\n');
  const subOf = s.commands
    .filter((c) => c.subcommands)
    .map((c) => `${c.name}) case "\${words[i]}" in ${c.subcommands!.join('|')}) sub="\${words[i]}" ;; esac ;;`)
    .join(' ');
  return `#compdef twauth
# twauth zsh completion (twauth completion --help says how to install it)
_twauth() {
  local -a commands opts accounts
  local cmd="" sub="" i
  commands=(
${cmds}
  )
  accounts=(\${(f)"$(${ACCOUNTS})"})
  # The command is the first word that is not an option, nor the value of an option.
  for (( i = 2; i < CURRENT; i++ )); do
    case "\${words[i]}" in
      ${withValue(s).join('|')}) (( i++ )) ;;
      -*) ;;
      *) if [[ -z "$cmd" ]]; then cmd="\${words[i]}"; elif [[ -z "$sub" ]]; then case "$cmd" in ${subOf || '*) ;;'} esac; fi ;;
    esac
  done
  case "\${words[CURRENT-1]}" in
${prevCases}
    ${free.length ? `${free.join('|')}) return ;;` : ''}
  esac
  case "$cmd" in
    "") _describe 'command' commands; compadd -- ${longs(s.global).join(' ')}; return ;;
${argCases.join('\n')}
  esac
  case "$cmd\${sub:+ $sub}" in
${optCases}
  esac
  compadd -- $opts ${longs(s.global).join(' ')}
}
compdef _twauth twauth
`;
}

/** A fish single-quoted word: only \\ and \' are escapes there. */
function fq(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function fish(s: Spec): string {
  const lines = ['# twauth fish completion (twauth completion --help says how to install it)', 'complete -c twauth -f'];
  const topNames = top(s).map((c) => c.name);
  const valueArgs = (v: Completes | undefined) =>
    !v
      ? ''
      : 'words' in v
        ? ` -x -a ${fq(v.words.join(' '))}`
        : 'accounts' in v
          ? ` -x -a ${fq(`(${ACCOUNTS})`)}`
          : 'files' in v
            ? ' -r -F'
            : ' -x';
  const opt = (o: OptionSpec, cond: string) => {
    const long = o.flags.find((f) => f.startsWith('--'));
    const short = o.flags.find((f) => /^-[^-]$/.test(f));
    if (!long && !short) return undefined;
    return `complete -c twauth${cond}${long ? ` -l ${long.slice(2)}` : ''}${short ? ` -s ${short.slice(1)}` : ''}${valueArgs(o.value)}`;
  };
  for (const c of top(s))
    lines.push(`complete -c twauth -n '__fish_use_subcommand' -a ${c.name} -d ${fq(c.description)}`);
  for (const c of s.commands) {
    const [parent, sub] = c.name.split(' ');
    const cond = sub
      ? ` -n '__fish_seen_subcommand_from ${parent}; and __fish_seen_subcommand_from ${sub}'`
      : c.subcommands
        ? ` -n '__fish_seen_subcommand_from ${parent}; and not __fish_seen_subcommand_from ${c.subcommands.join(' ')}'`
        : ` -n '__fish_seen_subcommand_from ${parent}'`;
    for (const o of c.options) {
      const line = opt(o, cond);
      if (line) lines.push(line);
    }
    if (c.subcommands)
      for (const name of c.subcommands)
        lines.push(
          `complete -c twauth${cond} -a ${name} -d ${fq(s.commands.find((x) => x.name === `${parent} ${name}`)?.description ?? '')}`,
        );
    if (c.argument && c.name !== 'help')
      lines.push(
        `complete -c twauth -n '__fish_seen_subcommand_from ${c.name}'${valueArgs(c.argument).replace(' -x', '')}`,
      );
  }
  lines.push(`complete -c twauth -n '__fish_seen_subcommand_from help' -a ${fq(topNames.join(' '))}`);
  for (const g of s.global) {
    const line = opt(g, '');
    if (line) lines.push(line);
  }
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
