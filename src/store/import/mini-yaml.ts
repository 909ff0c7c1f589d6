/**
 * The part of YAML 1.2 that twurl (Ruby's Psych) and xurl (Go's yaml.v3) write for their
 * credential files: block mappings and sequences, plain / 'single' / "double" quoted scalars,
 * comments, `---`, and empty flow collections ({} and []). Anything else (anchors, tags, flow
 * collections with content, multi-line scalars) is refused rather than guessed at: these files
 * hold secrets, and a wrong guess would store a wrong one. Pure and bounded.
 */
export type YamlValue = string | null | YamlValue[] | YamlMap;
export interface YamlMap {
  [key: string]: YamlValue;
}

export class YamlSubsetError extends Error {
  override readonly name = 'YamlSubsetError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export const YAML_LIMITS = { chars: 1024 * 1024, lines: 50_000, depth: 16 } as const;

interface Line {
  readonly no: number;
  readonly indent: number;
  readonly text: string;
}

export function parseYamlSubset(source: string): YamlValue {
  if (source.length > YAML_LIMITS.chars)
    throw new YamlSubsetError(`the file is larger than ${YAML_LIMITS.chars} characters`, 0);
  const raw = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (raw.length > YAML_LIMITS.lines) throw new YamlSubsetError(`more than ${YAML_LIMITS.lines} lines`, 0);
  const lines: Line[] = [];
  let docs = 0;
  raw.forEach((l, i) => {
    if (/\t/.test(l.match(/^\s*/)![0])) throw new YamlSubsetError('a tab in the indentation', i + 1);
    const text = stripComment(l, i + 1).trimEnd();
    if (text.trim() === '') return;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) {
      if (text.startsWith('---') && ++docs > 1) throw new YamlSubsetError('more than one document', i + 1);
      if (text.slice(3).trim() !== '') throw new YamlSubsetError('content after the document marker', i + 1);
      return;
    }
    lines.push({ no: i + 1, indent: text.length - text.trimStart().length, text: text.trimStart() });
  });
  if (lines.length === 0) return null;
  const p = { lines, i: 0 };
  const value = block(p, lines[0]!.indent, 0);
  if (p.i < lines.length) throw new YamlSubsetError('unexpected indentation', lines[p.i]!.no);
  return value;
}

function stripComment(line: string, no: number): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s:\-[{,]/.test(line[i - 1]!))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  if (quote) throw new YamlSubsetError('an unterminated quoted string (multi-line strings are not supported)', no);
  return line;
}

function block(p: { lines: Line[]; i: number }, indent: number, depth: number): YamlValue {
  if (depth > YAML_LIMITS.depth)
    throw new YamlSubsetError(`nested deeper than ${YAML_LIMITS.depth} levels`, p.lines[p.i]!.no);
  const first = p.lines[p.i]!;
  return /^-(\s|$)/.test(first.text) ? sequence(p, indent, depth) : mapping(p, indent, depth);
}

function sequence(p: { lines: Line[]; i: number }, indent: number, depth: number): YamlValue[] {
  const out: YamlValue[] = [];
  while (p.i < p.lines.length) {
    const l = p.lines[p.i]!;
    if (l.indent !== indent || !/^-(\s|$)/.test(l.text)) break;
    const rest = l.text.slice(1).trim();
    p.i++;
    if (rest === '') out.push(nested(p, indent, depth));
    else if (keyValue(rest)) throw new YamlSubsetError('a mapping inside a sequence item is not supported', l.no);
    else out.push(scalar(rest, l.no));
  }
  return out;
}

function mapping(p: { lines: Line[]; i: number }, indent: number, depth: number): YamlMap {
  const out: YamlMap = Object.create(null) as YamlMap;
  while (p.i < p.lines.length) {
    const l = p.lines[p.i]!;
    if (l.indent < indent) break;
    if (l.indent > indent) throw new YamlSubsetError('unexpected indentation', l.no);
    if (/^-(\s|$)/.test(l.text)) break;
    const kv = keyValue(l.text);
    if (!kv) throw new YamlSubsetError('expected "key: value"', l.no);
    const key = kv.key.startsWith('"') || kv.key.startsWith("'") ? String(scalar(kv.key, l.no) ?? '') : kv.key;
    if (Object.hasOwn(out, key)) throw new YamlSubsetError(`the key "${key.slice(0, 40)}" appears twice`, l.no);
    p.i++;
    if (kv.value === '') {
      const next = p.lines[p.i];
      // A sequence may sit at the same indentation as its key (Psych writes it so).
      if (next && next.indent === indent && /^-(\s|$)/.test(next.text)) out[key] = sequence(p, indent, depth + 1);
      else out[key] = nested(p, indent, depth);
    } else out[key] = scalar(kv.value, l.no);
  }
  return out;
}

/** The block under a key or "-": more indented than `parent`, or null when there is none. */
function nested(p: { lines: Line[]; i: number }, parent: number, depth: number): YamlValue {
  const next = p.lines[p.i];
  if (!next || next.indent <= parent) return null;
  return block(p, next.indent, depth + 1);
}

function keyValue(text: string): { key: string; value: string } | undefined {
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(?:\s+(.*))?$/.exec(text);
  if (quoted) return { key: quoted[1]!, value: (quoted[2] ?? '').trim() };
  const m = /^([^\s"'#\-?:,[\]{}&*!|>%@`][^:]*?|[-?:][^\s:][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!m) return undefined;
  return { key: m[1]!, value: (m[2] ?? '').trim() };
}

function scalar(text: string, no: number): YamlValue {
  if (text.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(text)) throw new YamlSubsetError('a broken single-quoted string', no);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(text)) throw new YamlSubsetError('a broken double-quoted string', no);
    return text.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
      if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
      const map: Record<string, string> = {
        n: '\n',
        t: '\t',
        r: '\r',
        '0': '\0',
        b: '\b',
        f: '\f',
        a: '\x07',
        v: '\v',
        e: '\x1b',
        '"': '"',
        '\\': '\\',
        '/': '/',
        ' ': ' ',
      };
      if (!(e in map)) throw new YamlSubsetError(`an unknown escape \\${e}`, no);
      return map[e]!;
    });
  }
  if (text === '{}') return Object.create(null) as YamlMap;
  if (text === '[]') return [];
  if (/^[&*!|>[{@`]/.test(text))
    throw new YamlSubsetError('anchors, tags, block scalars and flow collections are not supported', no);
  if (text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  return text;
}

/**
 * Writes a value back as block YAML that parseYamlSubset (and Psych, yaml.v3) read: strings
 * double-quoted (JSON's escapes are YAML's), plain keys only where unambiguous. Comments and
 * formatting of the original are not kept.
 */
export function stringifyYamlSubset(value: YamlValue): string {
  const out: string[] = ['---'];
  const key = (k: string) =>
    /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) && !/^(null|true|false|yes|no|on|off|~)$/i.test(k) ? k : JSON.stringify(k);
  const write = (v: YamlValue, indent: string) => {
    if (Array.isArray(v)) {
      for (const item of v) {
        if (Array.isArray(item) && item.length === 0) out.push(`${indent}- []`);
        else if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 0)
          out.push(`${indent}- {}`);
        else if (item !== null && typeof item === 'object') {
          out.push(`${indent}-`);
          write(item, indent + '  ');
        } else out.push(`${indent}- ${item === null ? '~' : JSON.stringify(item)}`);
      }
      return;
    }
    if (v === null || typeof v === 'string') {
      out.push(`${indent}${v === null ? '~' : JSON.stringify(v)}`);
      return;
    }
    for (const [k, child] of Object.entries(v)) {
      if (child === null) out.push(`${indent}${key(k)}: ~`);
      else if (typeof child === 'string') out.push(`${indent}${key(k)}: ${JSON.stringify(child)}`);
      else if (Array.isArray(child) && child.length === 0) out.push(`${indent}${key(k)}: []`);
      else if (!Array.isArray(child) && Object.keys(child).length === 0) out.push(`${indent}${key(k)}: {}`);
      else {
        out.push(`${indent}${key(k)}:`);
        write(child, indent + '  ');
      }
    }
  };
  write(value, '');
  return out.join('\n') + '\n';
}
