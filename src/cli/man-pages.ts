import { commandFile, type CommandSpec, type GroupSpec, type OptionSpec } from './command-spec.js';
import { ENVIRONMENT_HELP } from './environment-help.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { COMMANDS } from './registry.js';

/**
 * Man pages (roff, man(7) macros) from the same declarations as --help: twauth(1), and one page
 * per command, twauth-<words>(1). Run by the build (scripts/build.mjs), which writes them to
 * dist/man/man1 for package.json's "man" field. Pure: declarations in, file texts out.
 */
export function manPages(version: string, description: string): Record<string, string> {
  const pages: Record<string, string> = { 'twauth.1': mainPage(version, description) };
  for (const c of COMMANDS) pages[`${pageName(c.name)}.1`] = commandPage(c, version);
  return pages;
}

/** "sandbox approve" → "twauth-sandbox-approve", as git names its pages. */
export function pageName(command: string): string {
  return `twauth-${commandFile(command)}`;
}

/** Text as roff reads it: backslashes doubled, a leading dot or quote made literal. */
function esc(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

function th(name: string, version: string): string {
  return `.TH ${name.toUpperCase()} 1 "" "twauth ${esc(version)}" "User Commands"`;
}

function options(opts: readonly OptionSpec[]): string[] {
  return opts.flatMap((o) => {
    const extra =
      o.type === 'choice'
        ? ` (one of: ${o.choices.join(', ')})`
        : o.type === 'string' && o.default !== undefined
          ? ` (default: ${o.default})`
          : '';
    return ['.TP', `.B ${esc(o.flags)}`, esc(o.description + extra)];
  });
}

/** Paragraphs of help: lines kept as written (they are laid out for a terminal). */
function verbatim(text: string): string[] {
  return ['.nf', esc(text.replace(/\n+$/, '')), '.fi'];
}

function commandPage(c: CommandSpec | GroupSpec, version: string): string {
  const name = pageName(c.name);
  const lines = [th(name, version), '.SH NAME', `${name} \\- ${esc(c.description)}`, '.SH SYNOPSIS'];
  if ('group' in c) {
    const subs = COMMANDS.filter((x) => x.name.startsWith(`${c.name} `));
    lines.push(
      `.B twauth ${esc(c.name)}`,
      `{${subs.map((s) => esc(s.name.split(' ')[1]!)).join(' | ')}} [\\fIoptions\\fR]`,
    );
    if (c.help) lines.push('.SH DESCRIPTION', ...verbatim(c.help));
    lines.push('.SH COMMANDS', ...subs.flatMap((s) => ['.TP', `.BR ${pageName(s.name)} (1)`, esc(s.description)]));
  } else {
    const args = Object.entries(c.args).map(([n, a]) => (a.required ? `\\fI${esc(n)}\\fR` : `[\\fI${esc(n)}\\fR]`));
    lines.push(`.B twauth ${esc(c.name)}`, `[\\fIoptions\\fR]${args.length ? ` ${args.join(' ')}` : ''}`);
    lines.push('.SH DESCRIPTION', esc(c.description) + '.');
    if (c.help) lines.push('.PP', ...verbatim(c.help));
    if (Object.keys(c.args).length)
      lines.push(
        '.SH ARGUMENTS',
        ...Object.entries(c.args).flatMap(([n, a]) => ['.TP', `.I ${esc(n)}`, esc(a.description)]),
      );
    if (Object.keys(c.options).length) lines.push('.SH OPTIONS', ...options(Object.values(c.options)));
    if (c.json) lines.push('.SH JSON', `With \\fB\\-\\-json\\fR: ${esc(c.json)}`);
  }
  lines.push('.SH GLOBAL OPTIONS', 'See', '.BR twauth (1).');
  if (c.examples.length) lines.push('.SH EXAMPLES', '.nf', ...c.examples.map((e) => `$ ${esc(e)}`), '.fi');
  lines.push('.SH SEE ALSO', '.BR twauth (1)');
  return lines.join('\n') + '\n';
}

function mainPage(version: string, description: string): string {
  const top = COMMANDS.filter((c) => !c.name.includes(' ') || !('group' in c));
  return (
    [
      th('twauth', version),
      '.SH NAME',
      `twauth \\- ${esc(description)}`,
      '.SH SYNOPSIS',
      '.B twauth',
      '[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]',
      '.SH COMMANDS',
      ...top.flatMap((c) => ['.TP', `.B ${esc(c.name)}`, `${esc(c.description)}; see`, `.BR ${pageName(c.name)} (1).`]),
      '.TP',
      '.B help \\fIcommand\\fR',
      "the same text as this command's manual page, in the terminal.",
      '.SH GLOBAL OPTIONS',
      ...options(Object.values(GLOBAL_OPTIONS)),
      '.TP',
      '.B \\-V, \\-\\-version',
      'print the version',
      '.TP',
      '.B \\-h, \\-\\-help',
      'show help',
      '.SH ENVIRONMENT',
      ...verbatim(ENVIRONMENT_HELP),
      '.SH EXIT STATUS',
      ...verbatim(EXIT_CODES_HELP),
      '.SH SEE ALSO',
      top.map((c) => `.BR ${pageName(c.name)} (1)`).join(',\n'),
    ].join('\n') + '\n'
  );
}
