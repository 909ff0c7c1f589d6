/** What a person sees in an HTML form, read without a browser. */
export interface ScrapedForm {
  action: string;
  method: string;
  /** Hidden inputs, in document order. */
  hidden: Array<[string, string]>;
  /** A <select>, if any: its name and options. */
  select?: { name: string; options: Array<{ value: string; label: string; selected: boolean }> };
  /** Text inputs: name and prefilled value. */
  textInputs: Array<{ name: string; value: string }>;
  /** Submit buttons with their accessible names (aria-label, else text content). */
  buttons: Array<{ name: string; value: string; label: string }>;
}

/** The first <form> of a page, or null. Enough HTML for the emulator's own pages. */
export function scrapeForm(html: string): ScrapedForm | null {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const attrs = attributes(form[1] ?? '');
  const inner = form[2] ?? '';
  const result: ScrapedForm = {
    action: attrs.get('action') ?? '',
    method: (attrs.get('method') ?? 'get').toLowerCase(),
    hidden: [],
    textInputs: [],
    buttons: [],
  };
  for (const m of inner.matchAll(/<input\b([^>]*)>/gi)) {
    const a = attributes(m[1] ?? '');
    const name = a.get('name');
    if (name === undefined || a.has('disabled')) continue;
    const type = (a.get('type') ?? 'text').toLowerCase();
    if (type === 'hidden') result.hidden.push([name, a.get('value') ?? '']);
    else if (type === 'text' || type === 'email' || type === 'search')
      result.textInputs.push({ name, value: a.get('value') ?? '' });
  }
  const select = /<select\b([^>]*)>([\s\S]*?)<\/select>/i.exec(inner);
  const selectName = select ? attributes(select[1] ?? '').get('name') : undefined;
  if (select && selectName !== undefined) {
    result.select = {
      name: selectName,
      options: [...(select[2] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/gi)].map((o) => {
        const a = attributes(o[1] ?? '');
        const label = textContent(o[2] ?? '');
        return { value: a.get('value') ?? label, label, selected: a.has('selected') };
      }),
    };
  }
  for (const m of inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
    const a = attributes(m[1] ?? '');
    if ((a.get('type') ?? 'submit').toLowerCase() !== 'submit') continue;
    result.buttons.push({
      name: a.get('name') ?? '',
      value: a.get('value') ?? '',
      label: a.get('aria-label') ?? textContent(m[2] ?? ''),
    });
  }
  return result;
}

function attributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const name = (m[1] ?? '').toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

function textContent(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}
