/**
 * Reading what the bot sent as a member sees it: the quotes of an answer embed with their
 * references (to check them verbatim against the files), and whether `allowed_mentions`
 * can ping anyone.
 */

/** Markdown escapes and bold markers removed, links' zero-width space too: the text a quote was made from. */
export function unescapeMarkdown(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && /[\\*_~`|[\]()<>#\-.:!+=]/.test(text[i + 1]!)) {
      out += text[++i];
    } else if (c === '*' && text[i + 1] === '*') {
      i++;
    } else out += c;
  }
  return out.replace(/(https?):\u200b\/\//g, '$1://');
}

/**
 * The quotes of an answer embed with their references: `> quote` (prose; table rows and list
 * items a `> ` line each, rows below the header row's `> …`) or a code block (code, its fences'
 * zero-width breaks taken out), each followed by `— source[ › section] · L12–14`; prose with
 * the code example after it is followed by one reference for both, `… · L12–14, L17–20`.
 */
export function answerQuotes(description: string): Array<{ source: string; lines: [number, number]; quote: string; code?: boolean }> {
  const out: Array<{ source: string; lines: [number, number]; quote: string; code?: boolean }> = [];
  const lines = description.split('\n');
  // One quote starting at line `i`: its text, and the line it ends on.
  const quoteAt = (i: number): { quote: string; code: boolean; end: number } | undefined => {
    if (lines[i]!.startsWith('> ')) {
      // Table rows and list items are a `> ` line each; a header row shown above rows ends at a `> …` line.
      const rows = [lines[i]!.slice(2)];
      while (lines[i + 1]?.startsWith('> ')) {
        i++;
        if (lines[i] === '> …') rows.length = 0;
        else rows.push(lines[i]!.slice(2));
      }
      return { quote: rows.map(unescapeMarkdown).join('\n'), code: false, end: i };
    }
    if (!lines[i]!.startsWith('```')) return undefined;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i]!);
    return { quote: body.join('\n').replace(/`\u200b(?=``)/g, '`'), code: true, end: i };
  };
  for (let i = 0; i < lines.length; i++) {
    const first = quoteAt(i);
    if (!first) continue;
    i = first.end;
    const quotes = [first];
    // Prose, then the code example it introduces.
    const example = !first.code && lines[i + 1]?.startsWith('```') ? quoteAt(i + 1) : undefined;
    if (example) {
      quotes.push(example);
      i = example.end;
    }
    const next = lines[i + 1];
    if (!next?.startsWith('— ')) continue;
    i++;
    const reference = unescapeMarkdown(next.slice(2)).replace(/ \(also \d+× elsewhere\)$/, '').replace(/ \(header row: L\d+\)$/, '');
    const ref = /^(.*) · L(\d+)(?:–(\d+))?(?:, L(\d+)(?:–(\d+))?)?$/.exec(reference);
    if (!ref) continue;
    const source = ref[1]!.split(' › ')[0]!;
    const ranges: Array<[number, number]> = [[Number(ref[2]), Number(ref[3] ?? ref[2])]];
    if (ref[4]) ranges.push([Number(ref[4]), Number(ref[5] ?? ref[4])]);
    if (ranges.length !== quotes.length) continue;
    quotes.forEach(({ quote, code }, q) => out.push({ source, lines: ranges[q]!, quote, ...(code ? { code } : {}) }));
  }
  return out;
}

/** True when `allowed_mentions` pings nobody: `parse` present and empty of users, roles and everyone. */
export function isNoPing(allowed: unknown): boolean {
  if (typeof allowed !== 'object' || allowed === null) return false;
  const a = allowed as { parse?: unknown; users?: unknown; roles?: unknown; replied_user?: unknown };
  const parse = Array.isArray(a.parse) ? a.parse : [];
  if (!Array.isArray(a.parse) && a.parse !== undefined) return false;
  if (parse.some((p) => p === 'everyone' || p === 'users' || p === 'roles')) return false;
  if (Array.isArray(a.users) && a.users.length) return false;
  if (Array.isArray(a.roles) && a.roles.length) return false;
  // Without `parse`, Discord's default is to parse every kind: it must be there (empty).
  if (a.parse === undefined) return false;
  return a.replied_user !== true;
}
