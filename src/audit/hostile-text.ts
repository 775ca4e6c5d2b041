/**
 * Seeded generators of hostile input for the audit (`npm run -s audit`): questions, option
 * values, file names, line ranges, custom ids and argv. The same seed gives the same list,
 * so a failure found by one run is found again by the next.
 *
 * Every category of the hardening issue is covered in the first round of a list (one item
 * per category, in order); the rest mixes categories at random, sometimes two or three in
 * one string, sometimes around a plain on-topic question.
 */
import fc from 'fast-check';

/** mulberry32: a small seeded PRNG, enough to pick and shuffle reproducibly. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A new generator whose stream depends on this one's seed and a label. */
  fork(label: string): Rng {
    let h = Math.floor(this.next() * 2 ** 32);
    for (const c of label) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    return new Rng(h);
  }
}

/** Plain questions about the bundled news corpus (five articles on election interference). */
export const ON_TOPIC = [
  "who is Putin's chef?",
  'Who was behind the troll farm that used social media platforms?',
  'How many Russian nationals were indicted by Mueller?',
  'Did China interfere in the election?',
  'Which Facebook VP of Ads tweeted about the Russian ads?',
  'What did Putin say about cyberattacks?',
  'Oliver Stone documentary',
  'Raffensperger bomb threats Atlanta',
  'megaphone diplomacy',
  'Heather Nauert Twitter',
  'Iran covert influence campaign',
  'Dan Coats pervasive messaging campaign',
  'troll farm Facebook Twitter',
  'Mueller report Prigozhin',
  'Kremlin Peskov no indications',
  'Putin Biden predictable',
  'sanctions on Russia Reuters',
  'Kamala Harris campaign',
] as const;

const STOPWORDS_ONLY = ['the of and to a in', 'what is the', 'who are they and why', 'is it not so', 'which of these is the one', 'how'];
const PUNCTUATION_ONLY = ['?!?!', '...', '---', '"""', "'''", '()[]{}', '¿¡«»—–…', '.,;:!?', '***', '\\\\\\'];
const NUMBERS = ['2016', '13', '0', '-1', '1e9', '3.14159', '00000000000000000000', '2012 2000 2016', '１２３', '٣', 'Ⅻ', '15-page', '0x7fffffff', 'NaN Infinity'];

/** Fragments by category: a name (for the report) and a generator. */
export const CATEGORIES: ReadonlyArray<{ name: string; make: (rng: Rng) => string }> = [
  // query syntax
  { name: 'unbalanced quote', make: (r) => `"${r.pick(ON_TOPIC)}` },
  { name: 'many quotes', make: (r) => Array.from({ length: r.int(2, 20) }, () => `"${r.pick(['putin', 'troll farm', 'the', ''])}"`).join(' ') },
  { name: 'excluded words', make: (r) => `${r.pick(ON_TOPIC)} ${Array.from({ length: r.int(1, 30) }, () => `-${r.pick(['putin', 'the', 'x', '-', '"', 'file:004'])}`).join(' ')}` },
  { name: 'double dash', make: (r) => r.pick(['--', '-- putin', '--top 5 putin', '--json', '---', '- -', '--help']) },
  { name: 'leading dash', make: (r) => `-${r.pick(ON_TOPIC)}` },
  { name: 'only excluded', make: (r) => r.pick(['-putin', '-putin -russia', '-the', '-"troll farm"', '-']) },
  {
    name: 'file: filter',
    make: (r) =>
      `${r.pick(['file:004', 'file:../../.env', 'file:/etc/passwd', 'file:..', 'file:', 'file:000_0c2a6b0584480c89.txt', 'file:*', 'file:\\..\\..\\x', 'file:%2e%2e%2f', 'FILE:003', 'file:nope', 'file:0', 'file:.txt', 'file:file:004'])} ${r.chance(0.7) ? r.pick(ON_TOPIC) : ''}`,
  },
  { name: 'absolute path', make: (r) => r.pick(['/etc/passwd', 'C:\\Windows\\system32', '/proc/self/environ', '~/.ssh/id_rsa', '../../../../etc/shadow', 'file:///etc/hosts']) },
  { name: 'brackets', make: (r) => `${r.pick([']', '(', ')', '[', '[[', ']]]', '(((', '{', '}'])}${r.pick(ON_TOPIC)}${r.pick([']', '(', ')', ''])}` },
  // Markdown and Discord syntax
  { name: 'bold/italic', make: (r) => `**${r.pick(ON_TOPIC)}** __x__ *y* ~~z~~ ||spoiler||` },
  { name: 'backticks', make: (r) => `\`${r.pick(ON_TOPIC)}\` \`\`inline\`\`` },
  { name: 'code fence', make: (r) => '```js\n' + r.pick(ON_TOPIC) + '\n```' + r.pick(['', '```', '`']) },
  { name: '@everyone', make: (r) => `@everyone ${r.pick(ON_TOPIC)} @here` },
  { name: 'user mention', make: (r) => `<@123456789012345678> <@!123456789012345678> ${r.pick(ON_TOPIC)}` },
  { name: 'role/channel mention', make: (r) => `<@&123456789012345678> <#123456789012345678> ${r.pick(ON_TOPIC)}` },
  { name: 'timestamp', make: (r) => `<t:1700000000:R> <t:${r.pick(['-1', '99999999999999', 'abc'])}> ${r.pick(ON_TOPIC)}` },
  { name: 'link', make: (r) => `[${r.pick(ON_TOPIC)}](https://x.example/a) https://discord.gg/abc <https://x> [a](javascript:alert(1))` },
  { name: 'heading/list/quote', make: (r) => `# ${r.pick(ON_TOPIC)}\n> quoted\n- item\n1. one\n-# small` },
  // odd text
  { name: 'backslashes', make: (r) => '\\'.repeat(r.int(1, 400)) + r.pick(['', ' putin', '"', '*']) },
  { name: 'word repeated', make: (r) => `${r.pick(['cells', 'putin', 'the', 'russia', 'a'])} `.repeat(r.int(50, 250)) },
  { name: 'over 1000 chars', make: (r) => (r.pick(ON_TOPIC) + ' ').repeat(60).slice(0, r.int(1001, 4000)) },
  { name: 'near 1000 chars', make: (r) => (r.pick(ON_TOPIC) + ' ').repeat(60).slice(0, r.int(950, 1000)) },
  { name: 'many distinct words', make: (r) => Array.from({ length: r.int(40, 150) }, (_, i) => `w${i}x${r.int(0, 9999)}`).join(' ') },
  { name: 'zero-width', make: (r) => r.pick(ON_TOPIC).split('').join('\u200b') + '\u200c\u200d\u2060\ufeff' },
  { name: 'soft hyphen', make: (r) => r.pick(ON_TOPIC).replace(/([a-z]{3})/g, '$1\u00ad') },
  { name: 'combining marks', make: (r) => r.pick(ON_TOPIC).replace(/[aeiou]/g, (c) => c + '\u0301\u0308\u0327'.slice(0, r.int(1, 3))) + 'Z̸̢̛̖̗͇̈́̓a̵̛͉l̷̡̛g̸o̶' },
  { name: 'NFD text', make: (r) => `chargé d'affaires Prigozhin café ${r.pick(ON_TOPIC)}`.normalize('NFD') },
  { name: 'RTL override', make: (r) => `\u202e${r.pick(ON_TOPIC)}\u202c \u2066x\u2069 \u200f` },
  { name: 'lone surrogates', make: (r) => `${r.pick(ON_TOPIC)} \ud800 x\udfff ${'\udbff'.repeat(r.int(1, 5))}` },
  { name: 'emoji ZWJ', make: (r) => `👩‍👩‍👧‍👦 🏳️‍🌈 ${r.pick(ON_TOPIC)} 🇷🇺🇺🇸 ${'🧑🏽‍💻'.repeat(r.int(1, 30))}` },
  { name: 'control characters', make: (r) => `${r.pick(ON_TOPIC)}\u0001\u0007\u001b[31m\u001b]0;title\u0007\u0008\u000b\u000c\u007f\u0085` },
  { name: 'NUL', make: (r) => `${r.pick(ON_TOPIC)}\u0000putin\u0000` + '\u0000'.repeat(r.int(1, 20)) },
  { name: 'CRLF', make: (r) => `${r.pick(ON_TOPIC)}\r\nsecond line\rthird\n\r\n` },
  { name: 'tabs and odd spaces', make: (r) => `\t${r.pick(ON_TOPIC)}\u00a0\u2003\u3000\u2028\u2029\u180e` },
  { name: 'only punctuation', make: (r) => r.pick(PUNCTUATION_ONLY).repeat(r.int(1, 5)) },
  { name: 'only stopwords', make: (r) => r.pick(STOPWORDS_ONLY) },
  { name: 'numbers', make: (r) => r.pick(NUMBERS) },
  { name: 'whitespace only', make: (r) => r.pick([' ', '\u200b', '\u00a0', '\t\t', '\u3000']) },
  { name: 'HTML/JS', make: (r) => `<script>alert(1)</script> <img src=x onerror=alert(1)> ${r.pick(ON_TOPIC)}` },
  { name: 'regex/glob', make: (r) => `.* ^$ (a+)+$ [^x] \\d{1,100} ** ${r.pick(ON_TOPIC)}` },
  { name: 'prototype keys', make: (r) => r.pick(['__proto__', 'constructor', 'toString hasOwnProperty', 'prototype __defineGetter__', '__proto__ putin']) },
  { name: 'format strings', make: (r) => `%s %d %n %x {0} \${7*7} {{7*7}} ${r.pick(ON_TOPIC)}` },
  { name: 'other scripts', make: (r) => r.pick(['Путин повар', '普京 厨师', 'بوتين', 'पुतिन', 'ПУТИН', 'ǅ ǈ ß ẞ İ ı']) + ' ' + r.pick(ON_TOPIC) },
  { name: 'arbitrary unicode', make: (r) => fc.sample(fc.string({ unit: 'binary', maxLength: 60 }), { seed: r.int(0, 2 ** 31 - 1), numRuns: 1 })[0]! },
  { name: 'on-topic', make: (r) => r.pick(ON_TOPIC) },
];

/**
 * `count` hostile questions. The first round has one of each category; then 25% plain
 * on-topic, the rest one to three fragments (often wrapped around an on-topic question).
 */
export function hostileQuestions(seed: number, count: number, options: { maxLength?: number } = {}): Array<{ category: string; text: string }> {
  const rng = new Rng(seed).fork('questions');
  const out: Array<{ category: string; text: string }> = [];
  for (let i = 0; i < count; i++) {
    let category: string;
    let text: string;
    if (i < CATEGORIES.length) {
      const c = CATEGORIES[i]!;
      category = c.name;
      text = c.make(rng);
    } else if (rng.chance(0.25)) {
      category = 'on-topic';
      text = rng.pick(ON_TOPIC);
    } else {
      const parts = Array.from({ length: rng.int(1, 3) }, () => rng.pick(CATEGORIES));
      category = parts.map((p) => p.name).join(' + ');
      text = parts.map((p) => p.make(rng)).join(rng.pick([' ', '', '\n', ' \u200b ']));
      if (rng.chance(0.3)) text = `${rng.pick(ON_TOPIC)} ${text}`;
    }
    if (options.maxLength !== undefined && text.length > options.maxLength) text = text.slice(0, options.maxLength);
    out.push({ category, text });
  }
  return out;
}

/** File names typed at `/source file:` and `/search file:` (and their autocomplete). */
export function hostileFileNames(rng: Rng): string {
  return rng.pick([
    '../../.env',
    '../.env',
    '..',
    '.',
    '/',
    '/etc/passwd',
    '/proc/self/environ',
    '..\\..\\.env',
    '%2e%2e%2f.env',
    'file:///etc/passwd',
    '004',
    '000',
    '0',
    '000_0c2a6b0584480c89.txt',
    '000_0c2a6b0584480c89.TXT',
    '003_c6d5608b06e78f00',
    './004_18fad831f6d1eeb5.txt',
    'index-data/corpus/004_18fad831f6d1eeb5.txt',
    '',
    ' ',
    '*',
    '?',
    '[',
    ']',
    '(',
    '\u0000',
    '004\u0000.txt',
    '\u202etxt.400',
    'nope.md',
    '.txt',
    '__proto__',
    'constructor',
    '<@123456789012345678>',
    '@everyone',
    'x'.repeat(100),
    'x'.repeat(101),
    '\ud800',
    '🧑🏽‍💻',
    '004'.normalize('NFD') + '\u0301',
  ]);
}

/** `/source lines:` values. */
export function hostileLineRanges(rng: Rng): string {
  return rng.pick(['0-99999', 'abc', '5-3', '0', '-1', '1-1', '1', '1-9999999', '9999999', '1e9', '', ' ', '1–3', '1—3', '1:3', '1..3', '3-', '-3', '١-٣', '1-3-5', '0x10', 'NaN', '1 - 20', '12345678901234567890', '123456789012345678901', '2-2']);
}

/** Custom ids a modified client could send on a button press. */
export function forgedCustomIds(rng: Rng, realKey?: string): string {
  const key = realKey ?? 'nokey';
  return rng.pick([
    'more:nokey:-5',
    'more:x:1e99',
    `more:${key}:-5`,
    `more:${key}:1e99`,
    `more:${key}:NaN`,
    `more:${key}:99999999`,
    `more:${key}`,
    'more:',
    'more',
    'ctx:',
    'ctx',
    `ctx:${key}:extra:parts`,
    'ctx:__proto__',
    'more:constructor:1',
    'ctx:../../.env',
    'reindex:full',
    'unknown:1',
    'x',
    ':',
    '::::',
    `${'a'.repeat(95)}:1`,
    '\u0000:\u0000',
    'more:\ud800:1',
  ]);
}

/** argv for single `ask` invocations (each a separate process): the n-th of the list first, then at random. */
export function hostileArgv(rng: Rng, paths: { missing: string; notAFolder: string; file: string; binaryFile: string; emptyFile: string }, n: number): string[] {
  const q = () => rng.pick(ON_TOPIC);
  const choices: Array<() => string[]> = [
    () => ['-putin'],
    () => ['-troll farm'],
    () => ['--', '-putin', q()],
    () => ['--', '--top', '5'],
    () => ['--'],
    () => ['--json', '--', '--json'],
    () => ['--nope', q()],
    () => ['-x', q()],
    () => ['--top', '0', q()],
    () => ['--top', '-1', q()],
    () => ['--top', '1e9', q()],
    () => ['--top', 'abc', q()],
    () => ['--top', '', q()],
    () => ['--top', '2.5', q()],
    () => ['--top', '51', q()],
    () => ['--top', '50', '--json', q()],
    () => ['--top', '0x10', q()],
    () => ['--top', ' 3 ', q()],
    () => ['--top'],
    () => ['--top=5', '--json', q()],
    () => ['--json', '--json', q()],
    () => ['--json=1', q()],
    () => [''],
    () => [' '],
    () => ['', '', ''],
    () => [],
    () => ['--json'],
    () => ['--json', ''],
    () => ['--json', '\u0001\u001b[31m\u007f'],
    () => ['--json', 'x'.repeat(1001)],
    () => ['--json', 'putin '.repeat(200)],
    () => ['--json', '"'],
    () => ['--json', 'file:../../.env', 'putin'],
    () => ['--json', 'file:nope', 'putin'],
    () => ['--json', '?!?!'],
    () => ['--json', 'the of and'],
    () => ['--json', '\ud800'],
    () => ['--json', '\u202eputin'],
    () => ['--file', paths.missing],
    () => ['--file', paths.notAFolder, q()],
    () => ['--file', ''],
    () => ['--file', paths.binaryFile, '--json'],
    () => ['--file', paths.emptyFile, '--json'],
    () => ['--file', paths.file, '--json', '--top', '2'],
    () => ['--corpus', paths.missing, q()],
    () => ['--corpus', paths.file, q()],
    () => ['--corpus', '', q()],
    () => ['--index', paths.file, q()],
    () => ['--index', `${paths.file}/sub`, q()],
    () => ['--index', '', q()],
    () => ['--corpus', paths.notAFolder, '--index', paths.missing, q()],
    () => [q(), '--json'],
    () => ['--JSON', q()],
    () => ['-h'],
    () => ['--help'],
    () => ['--version'],
  ];
  return (n < choices.length ? choices[n]! : rng.pick(choices))();
}
