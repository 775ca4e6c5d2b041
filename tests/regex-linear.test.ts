/**
 * Regular expressions on user or corpus text must run in linear time (hardening issue:
 * `npm start` froze printing an answer with 33 backslashes).
 *
 * (a) A static audit: every regex literal and every `new RegExp('literal')` in src/ and
 *     commands/ goes through recheck, and each `new RegExp` built from variables is listed
 *     here with the reason it is linear.
 * (b) Behavioural checks: each function that runs regexes over user or corpus text is timed
 *     on adversarial inputs at two sizes, 4× apart; linear code takes ~4× as long,
 *     quadratic ~16×, exponential never returns. The timing runs in a worker thread that is
 *     terminated at a deadline, so a regression fails the test instead of hanging it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { formatReference } from '../src/discord/format.ts';
import { markdownToText } from '../src/console/message-text.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// ---------------------------------------------------------------------------------------
// (a) Static audit

interface FoundRegExp {
  /** Path from the project root, with `/`. */
  file: string;
  line: number;
  /** The pattern source, or undefined when the pattern is built at run time. */
  source?: string;
  flags: string;
  /** The code as written (for dynamic patterns: the whole `new RegExp(…)`). */
  code: string;
}

/** Patterns recheck does not call safe, each with why that is acceptable. Keyed by file and source. */
const ALLOWED: ReadonlyArray<{ file: string; source: string; reason: string }> = [
  { file: 'src/audit/cli-audit.ts', source: String.raw`\n\s+at \S`, reason: 'audit tool: reads the stderr of our own CLI runs, not bot input' },
  { file: 'src/audit/cli-audit.ts', source: String.raw`^\s+at \S.*:\d+:\d+\)?$`, reason: 'audit tool: reads the stderr of our own CLI runs, not bot input' },
  { file: 'src/audit/crash-audit.ts', source: String.raw`\n\s+at \S`, reason: 'audit tool: reads the stderr of our own reindex runs, not bot input' },
  { file: 'src/cli/bench.ts', source: String.raw`\s*\n\s*`, reason: "folds the lines of a UsageError message: our own text around the operator's argv" },
  { file: 'src/cli/run.ts', source: String.raw`\. To specify.*$`, reason: "trims the first line of node:util parseArgs' error message about the operator's argv" },
];

/** `new RegExp` built from variables: where, and why the pattern it builds is linear. */
const DYNAMIC: ReadonlyArray<{ file: string; contains: string; reason: string }> = [
  { file: 'src/core/analyzer.ts', contains: 'new RegExp(WORD.source', reason: 'the `WORD` literal, checked above, made sticky to match one word at a given offset' },
  { file: 'src/discord/mentions.ts', contains: '<@!?${botId}>', reason: 'the bot id is a snowflake (digits): a literal string, matched in linear time' },
  {
    file: 'src/console/console.ts',
    contains: 'escapeRegExp(o.name)',
    reason: "an alternation of the command's option names (escaped constants from its definition), each tried once per position: linear",
  },
  { file: 'src/local-discord/http.ts', contains: '`^${pattern}/?$`', reason: 'the local server\'s own route table: anchored literals with `(\\d{1,20})` and `([^/]+)` between fixed `/`s' },
  {
    file: 'src/local-discord/validate.ts',
    contains: "'[^/]+' : escapeRegex(p)",
    reason: 'OpenAPI path templates: anchored, escaped literal segments and `[^/]+` per parameter, separated by fixed `/`s',
  },
];

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** Every regex literal and `RegExp(…)` call in src/ and commands/, via the TypeScript parser. */
function findRegExps(): FoundRegExp[] {
  const found: FoundRegExp[] = [];
  for (const full of [...typeScriptFiles(path.join(ROOT, 'src')), ...typeScriptFiles(path.join(ROOT, 'commands'))]) {
    const file = path.relative(ROOT, full).split(path.sep).join('/');
    const sourceFile = ts.createSourceFile(full, readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
    const lineOf = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        const slash = node.text.lastIndexOf('/');
        found.push({ file, line: lineOf(node), source: node.text.slice(1, slash), flags: node.text.slice(slash + 1), code: node.text });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const [patternArg, flagsArg] = node.arguments ?? [];
        const source = literalText(patternArg);
        const flags = flagsArg === undefined ? '' : literalText(flagsArg);
        const code = node.getText(sourceFile);
        if (source !== undefined && flags !== undefined) found.push({ file, line: lineOf(node), source, flags, code });
        else found.push({ file, line: lineOf(node), flags: flags ?? '?', code });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

describe('every regex in src/ and commands/', () => {
  const found = findRegExps();
  const literals = found.filter((r) => r.source !== undefined);
  const dynamic = found.filter((r) => r.source === undefined);

  it('finds the patterns (the walker and the parser work)', () => {
    expect(literals.length).toBeGreaterThan(50);
    expect(literals).toContainEqual(expect.objectContaining({ file: 'src/core/query.ts', source: String.raw`["\u201c]([^"\u201c\u201d]*)["\u201d]?|(\S+)`, flags: 'gu' }));
    expect(dynamic).toContainEqual(expect.objectContaining({ file: 'src/console/console.ts' }));
  });

  it('is linear according to recheck, or allowed here with a reason', { timeout: 300_000 }, () => {
    // The pure-JS backend: no Java and no platform binary needed.
    process.env.RECHECK_SYNC_BACKEND = 'pure';
    const verdicts = new Map<string, string>();
    const unsafe: string[] = [];
    for (const { file, line, source, flags } of literals) {
      const key = `/${source}/${flags}`;
      if (!verdicts.has(key)) {
        const diagnostics = checkSync(source!, flags, { timeout: 60_000 });
        verdicts.set(
          key,
          diagnostics.status === 'safe' ? 'safe'
            : diagnostics.status === 'vulnerable' ? `vulnerable (${diagnostics.complexity.summary}, e.g. ${diagnostics.attack.pattern})`
              : `unknown (${diagnostics.error.kind})`,
        );
      }
      const verdict = verdicts.get(key)!;
      if (verdict !== 'safe' && !ALLOWED.some((a) => a.file === file && a.source === source)) unsafe.push(`${file}:${line} ${key} ${verdict}`);
    }
    expect(unsafe).toEqual([]);
  });

  it('keeps the allowlist to patterns that still exist', () => {
    const stale = ALLOWED.filter((a) => !literals.some((r) => r.file === a.file && r.source === a.source));
    expect(stale).toEqual([]);
  });

  it('has a reason for every pattern built at run time', () => {
    const unexplained = dynamic.filter((r) => !DYNAMIC.some((d) => d.file === r.file && r.code.includes(d.contains))).map((r) => `${r.file}:${r.line} ${r.code}`);
    const stale = DYNAMIC.filter((d) => !dynamic.some((r) => r.file === d.file && r.code.includes(d.contains)));
    expect({ unexplained, stale }).toEqual({ unexplained: [], stale: [] });
  });
});

// ---------------------------------------------------------------------------------------
// The console's link conversion: a scanner where an exponential regex was

/** markdownToText as it was (uncoloured), with its exponential link pattern: short inputs only. */
function markdownToTextBefore(markdown: string): string {
  let text = markdown.replace(/\u200b/g, '');
  text = text.replace(/<t:(\d+)(?::[tTdDfFR])?>/g, (_, s: string) => new Date(Number(s) * 1000).toLocaleString());
  text = text.replace(/\[((?:\\.|[^\]])+)\]\((https?:[^)]+)\)/g, (_, label: string, url: string) => `${label} <${url}>`);
  text = text.split('**').join('');
  return text.replace(/\\([\\*_~`|>#\-[\]()<:.!+=])/g, '$1');
}
const PLAIN = { color: false };

describe('markdownToText links', () => {
  it('prints a link as "label <url>", its escapes removed', () => {
    expect(markdownToText('See [the report](https://example.org/a_b) now.', PLAIN)).toBe('See the report <https://example.org/a_b> now.');
    expect(markdownToText('[a \\] b \\[c](http://x) and [d](https://y)', PLAIN)).toBe('a ] b [c <http://x> and d <https://y>');
    expect(markdownToText('[ends in a backslash \\\\](http://x)', PLAIN)).toBe('ends in a backslash \\ <http://x>');
  });

  it('leaves what is not a link alone', () => {
    for (const text of ['[](http://x)', '[a](ftp://x)', '[a](http:)', '[a] (http://x)', '[a](http://x', '[[[', 'a]b(c)']) {
      expect(markdownToText(text, PLAIN), text).toBe(text);
    }
    // An escaped `]` does not close the label (the old pattern, backtracking, let it).
    expect(markdownToText('[a\\](http://x)', PLAIN)).toBe('[a](http://x)');
  });

  it('turns a reference back into its label and URL', () => {
    const reference = formatReference('notes/[draft] (v2)*.md', [12, 14], 'https://example.org/src');
    expect(markdownToText(reference, PLAIN)).toMatch(/^notes\/\[draft\] \(v2\)\*\.md · L12–14 <https:\/\/example\.org\/src\/notes\/[^\s()]+\.md#L12-L14>$/);
  });

  it('prints a link whose label is 5,000 escaped backslashes', () => {
    expect(markdownToText(`[${'\\'.repeat(10_000)}](https://x)`, PLAIN)).toBe(`${'\\'.repeat(5_000)} <https://x>`);
  });

  it('converts links as the old pattern did wherever it was unambiguous (no backslashes)', () => {
    const pieces = ['[', '[', ']', ']', '(', ')', 'http:', 'https:', 'http', 'a', ' ', '\n', '*', '<'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((p) => p.join('')), (text) => {
        expect(markdownToText(text, PLAIN)).toBe(markdownToTextBefore(text));
      }),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// (b) Behavioural checks

/**
 * Input sizes, 4× apart. Not 12,500 and 50,000: in that range V8 moves the bigger strings and
 * arrays to its large-object space, and linear code measured up to 12× slower for 4× the
 * input; from 50,000 to 200,000 characters it measures 3.5–5×.
 */
const SMALL = 50_000;
const LARGE = 4 * SMALL;
/**
 * Linear gives ~4 for a 4× larger input, quadratic ~16 (the harness's own check below measures
 * one). Between them, 10: linear code that allocates an object per word measured up to 8.5×
 * (`pickQuote` highlighting 36,000 matched words: 0.52 → 4.4 ms, the collector's work growing
 * faster than the input), which the earlier limit of 8 failed on one run in three.
 */
const MAX_RATIO = 10;
/** A family still running after this has shown what it is (a linear one needs a few seconds at most). */
const FAMILY_DEADLINE_MS = 30_000;

/**
 * Runs in a worker: imports the modules (TypeScript, through tsx), then for each input pair
 * it is sent, times `call` on the small and the large input in alternation, so a machine busy
 * with something else slows both alike: after a warm-up, 3 rounds of (small, large), each
 * sample enough calls that the small one lasts ≥ 4 ms and each started on a collected heap.
 * Answers with the median per-call times and the median of the rounds' ratios; a ratio at or
 * over `maxRatio` is measured up to four times more and the best kept, so that a burst of load
 * cannot fail a linear function (a quadratic one fails every time; a full suite on 2 cores
 * once measured a linear family at 8.0× after two retries).
 */
const TIMING_WORKER = `
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
const { tsImport } = await import('tsx/esm/api');
const modules = {};
for (const [name, url] of Object.entries(workerData.imports)) modules[name] = await tsImport(url, url);
const run = new Function(...Object.keys(modules), workerData.setup + '; return (input) => ' + workerData.call)(...Object.values(modules));
let sink;
function perCall(input, calls) {
  collectGarbage(); // garbage left by the previous sample is not billed to this one
  const start = performance.now();
  for (let i = 0; i < calls; i++) sink = run(input);
  return (performance.now() - start) / calls;
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
function rounds(small, large, calls) {
  const smalls = [], larges = [], ratios = [];
  for (let i = 0; i < 3; i++) {
    smalls.push(perCall(small, calls));
    larges.push(perCall(large, calls));
    ratios.push(larges[i] / smalls[i]);
  }
  return { small: median(smalls), large: median(larges), ratio: median(ratios) };
}
parentPort.on('message', ({ name, small, large }) => {
  perCall(small, 1);
  perCall(large, 1);
  let calls = 1;
  while (perCall(small, calls) * calls < 4 && calls < 4096) calls *= 2;
  let timing = rounds(small, large, calls);
  for (let retry = 0; retry < 4 && timing.ratio >= workerData.maxRatio; retry++) {
    const again = rounds(small, large, calls);
    if (again.ratio < timing.ratio) timing = again;
  }
  parentPort.postMessage({ name, ...timing, sink: typeof sink });
});
parentPort.postMessage({ ready: true });
`;

interface Subject {
  /** Modules the call uses, by the name it uses them under (paths from the project root). */
  imports: Record<string, string>;
  /** Statements run once before timing (e.g. building an Analyzer). */
  setup?: string;
  /** The expression timed, with `input` the adversarial text. */
  call: string;
}

type Families = Record<string, (n: number) => string>;

interface Timing {
  name: string;
  /** Median per-call milliseconds. */
  small: number;
  large: number;
  /** Median over the rounds of time(LARGE) / time(SMALL). */
  ratio: number;
}

/**
 * Per-call times of `subject` on each input family at SMALL and LARGE. The families go to
 * the worker one at a time (only one pair of inputs alive, so collecting is quick); one
 * that does not finish by its deadline ends the worker and fails with its name.
 */
function timeInWorker(subject: Subject, families: Families): Promise<Timing[]> {
  const imports = Object.fromEntries(Object.entries(subject.imports).map(([name, file]) => [name, pathToFileURL(path.join(ROOT, file)).href]));
  const pending = Object.entries(families);
  const timings: Timing[] = [];
  return new Promise((resolve, reject) => {
    const worker = new Worker(TIMING_WORKER, { eval: true, workerData: { imports, setup: subject.setup ?? '', call: subject.call, maxRatio: MAX_RATIO } });
    let deadline: NodeJS.Timeout | undefined;
    const stop = () => {
      clearTimeout(deadline);
      void worker.terminate();
    };
    const sendNext = () => {
      const next = pending.shift();
      if (!next) {
        stop();
        resolve(timings);
        return;
      }
      const [name, make] = next;
      deadline = setTimeout(() => {
        stop();
        reject(new Error(`"${name}" still running after ${FAMILY_DEADLINE_MS / 1000} s (finished: ${describeTimings(timings)})`));
      }, FAMILY_DEADLINE_MS);
      worker.postMessage({ name, small: make(SMALL), large: make(LARGE) });
    };
    worker.on('message', (message: Timing | { ready: true }) => {
      clearTimeout(deadline);
      if ('name' in message) timings.push({ name: message.name, small: message.small, large: message.large, ratio: message.ratio });
      sendNext();
    });
    worker.on('error', (error) => {
      stop();
      reject(error);
    });
  });
}

function describeTimings(timings: Timing[]): string {
  return timings.map((t) => `${t.name} ${t.ratio.toFixed(1)}× (${t.small.toFixed(2)} → ${t.large.toFixed(2)} ms)`).join('; ') || 'none';
}

/** Asserts `subject` runs in linear time on every family: time(LARGE) / time(SMALL) < MAX_RATIO. */
async function expectLinear(subject: Subject, families: Families): Promise<void> {
  const timings = await timeInWorker(subject, families);
  expect(timings.map((t) => t.name)).toEqual(Object.keys(families));
  const slow = timings.filter((t) => !(t.ratio < MAX_RATIO));
  expect(describeTimings(slow), `all: ${describeTimings(timings)}`).toBe('none');
}

/** `unit` repeated to exactly `n` characters. */
function fill(unit: string, n: number): string {
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

/** Backslash escapes, brackets and links: what the Markdown and link patterns backtrack on. */
const MARKDOWN_FAMILIES: Families = {
  'a run of backslashes': (n) => fill('\\', n),
  'a link label of backslashes': (n) => `[${fill('\\', n - 4)}]x`,
  'backslash-bracket pairs': (n) => `[${fill('\\]', n - 4)}x`,
  'a run of [': (n) => fill('[', n),
  'links that never close': (n) => fill('[a](http:', n),
  'a link with an endless URL': (n) => `[a](https:${fill('a', n - 10)}`,
  'labels without ](': (n) => fill('[a]', n),
  'escaped punctuation': (n) => fill('\\*\\_\\[\\]\\(\\)', n),
  'bold markers': (n) => fill('**', n),
  'timestamps without >': (n) => `<t:${fill('1', n - 3)}`,
  'timestamp openers': (n) => fill('<t:1:', n),
  'zero-width spaces': (n) => fill('\u200b', n),
};

/** Runs of punctuation, quotes and abbreviations: what sentence splitting backtracks on. */
const SENTENCE_FAMILIES: Families = {
  'a line of dots': (n) => fill('.', n),
  'dots, then spaces, then lowercase': (n) => `${fill('.', n / 2)}${fill(' ', n / 2 - 1)}a`,
  'closing quotes after dots': (n) => fill('."', n),
  'sentence ends before lowercase': (n) => fill('a. ', n),
  'sentence ends before opening quotes': (n) => fill('a. "(', n),
  'single-letter abbreviations': (n) => fill('A. ', n),
  'a long dotted word, then a capital': (n) => `${fill('a.', n - 2)} B`,
};

/**
 * A one-character sentence on every line, for `chunkDocument`. Not for `sentenceRanges`
 * alone: it returns 100,000 small arrays for it, and building that many times V8's
 * collector (superlinear at this size), not the scan.
 */
const SENTENCE_PER_LINE: Families = { 'dots and newlines': (n) => fill('.\n', n) };

/** Whitespace runs and lines without any: what folding and cutting at words scan. */
const WHITESPACE_FAMILIES: Families = {
  spaces: (n) => fill(' ', n),
  'NBSP and spaces': (n) => fill('\u00a0 ', n),
  newlines: (n) => fill('\n', n),
  'a line without spaces': (n) => fill('x', n),
  'emoji (surrogate pairs)': (n) => fill('😀', n),
  words: (n) => fill('Putin chef ', n),
};

/** Digits, apostrophes, dots, combining marks and invisible characters: what the word pattern backtracks on. */
const WORD_FAMILIES: Families = {
  digits: (n) => fill('1', n),
  'digits and dots': (n) => fill('1.', n),
  'straight quotes': (n) => fill('"', n),
  'apostrophes between letters': (n) => fill("a'", n),
  'apostrophe runs': (n) => fill("a''", n),
  'apostrophes and dots': (n) => fill("a'.", n),
  'curly apostrophes': (n) => fill('a’ʼ', n),
  possessives: (n) => fill("'s", n),
  'dotted acronym': (n) => fill('a.', n),
  'acronym, then a run of dots': (n) => `a.b${fill('.', n - 3)}`,
  'combining marks on one letter': (n) => `a${fill('\u0301', n - 1)}`,
  'letters with combining marks': (n) => fill('e\u0301', n),
  'default-ignorable code points': (n) => fill('a\u200b\u00ad', n),
};

const CONSOLE_TEXT = { ct: 'src/console/message-text.ts' };

describe('functions that run regexes on user or corpus text are linear', () => {
  // Generous: a family that hangs is stopped by FAMILY_DEADLINE_MS; this only bounds a slow, busy machine.
  const timeout = 180_000;

  it('the harness tells quadratic from linear: a scan from every 64th character measures at least MAX_RATIO', { timeout }, async () => {
    // Up to three tries, the best kept: load slows the large input's memory-bound scans more
    // than the small one's (8.3× once, with two other processes on the 2 cores), as the linear
    // families' retries keep their best the other way.
    const measured: Timing[] = [];
    while (measured.length < 3 && !measured.some((t) => t.ratio >= MAX_RATIO)) {
      const [quadratic] = await timeInWorker(
        { imports: {}, call: "(() => { let found = 0; for (let i = 0; i < input.length; i += 64) found += input.indexOf('!', i); return found; })()" },
        { 'no match': (n) => fill('a', n) },
      );
      measured.push(quadratic!);
    }
    expect(Math.max(...measured.map((t) => t.ratio)), describeTimings(measured)).toBeGreaterThanOrEqual(MAX_RATIO);
  });

  it('markdownToText', { timeout }, () =>
    expectLinear(
      { imports: CONSOLE_TEXT, call: 'ct.markdownToText(input, { color: true })' },
      { ...MARKDOWN_FAMILIES, newlines: WHITESPACE_FAMILIES.newlines!, words: WHITESPACE_FAMILIES.words! },
    ));

  it('messageToText', { timeout }, () =>
    expectLinear(
      { imports: CONSOLE_TEXT, call: "ct.messageToText({ content: input, embeds: [{ title: input, description: input, fields: [{ name: 'f', value: input }] }] }, { color: false })" },
      { ...MARKDOWN_FAMILIES, newlines: WHITESPACE_FAMILIES.newlines! },
    ));

  it('foldWhitespace, sentenceRanges and truncateAtWord', { timeout }, () =>
    expectLinear(
      { imports: { text: 'src/core/text.ts' }, call: '[text.foldWhitespace(input), text.sentenceRanges(input), text.truncateAtWord(input, input.length >> 1)]' },
      { ...SENTENCE_FAMILIES, ...WHITESPACE_FAMILIES },
    ));

  it('chunkDocument', { timeout }, () =>
    expectLinear(
      { imports: { chunk: 'src/core/chunk.ts' }, call: '[chunk.chunkDocument(input), chunk.chunkDocument(input, { markdown: true })]' },
      {
        ...SENTENCE_FAMILIES,
        ...SENTENCE_PER_LINE,
        ...WHITESPACE_FAMILIES,
        'a heading with a run of spaces inside': (n) => `# a${fill(' ', n - 4)}a`,
        'a heading of spaces': (n) => `#${fill(' ', n - 1)}`,
        'a heading of hashes': (n) => `# ${fill('#', n - 2)}`,
        'a heading alternating spaces and hashes': (n) => `# a${fill(' #', n - 4)}\u2028`,
        'heading-like lines': (n) => fill('# a  #\n', n),
      },
    ));

  it('Analyzer.terms, tokens and words, and normalizeWord', { timeout }, () =>
    expectLinear(
      {
        imports: { analyzer: 'src/core/analyzer.ts' },
        setup: 'const a = new analyzer.Analyzer()',
        call: '[a.terms(input), a.tokens(input), a.words(input), analyzer.normalizeWord(input)]',
      },
      { ...WORD_FAMILIES, ...WHITESPACE_FAMILIES },
    ));

  it('parseQuery', { timeout }, () =>
    expectLinear(
      {
        imports: { query: 'src/core/query.ts', analyzer: 'src/core/analyzer.ts' },
        setup: 'const a = new analyzer.Analyzer()',
        // Long questions are refused after folding whitespace: that folding is what is timed.
        call: '(() => { try { return query.parseQuery(input, a); } catch (error) { return error; } })()',
      },
      { ...WHITESPACE_FAMILIES, 'straight quotes': WORD_FAMILIES['straight quotes']!, 'open phrases': (n) => fill('"a ', n), 'open curly phrases': (n) => fill('\u201ca ', n), 'pasted options': (n) => fill('-a ', n), exclusions: (n) => fill('-ab ', n) },
    ));

  it('withoutFraming (its chat clauses, lead-ins and trailing chat)', { timeout }, () =>
    expectLinear(
      { imports: { framing: 'src/core/framing.ts' }, call: "framing.withoutFraming(input.split(' '))" },
      { 'chat then but': (n) => fill('lol but ', n), 'chat words': (n) => fill('hey ', n), 'trailing chat': (n) => `how ${fill('i tried ', n - 4)}`, 'chat then a question word': (n) => fill('sorry how ', n), clauses: (n) => fill('hey. ', n), emoji: (n) => fill('hi 😅 ', n) },
    ));

  it('escapeText and formatQuote', { timeout }, () =>
    expectLinear(
      { imports: { format: 'src/discord/format.ts' }, call: '[format.escapeText(input), format.formatQuote(input, [[0, 1]], input.length)]' },
      {
        ...MARKDOWN_FAMILIES,
        words: WHITESPACE_FAMILIES.words!,
        digits: WORD_FAMILIES.digits!,
        'digits and dots': WORD_FAMILIES['digits and dots']!,
        'numbered-list lines': (n) => fill('1.\n', n),
        'digits after a newline': (n) => `\n${fill('1', n - 1)}`,
        'URL schemes': (n) => fill('https://', n),
        'broken URL schemes': (n) => fill('http:/', n),
      },
    ));

  it('clip, fitEmbed, fitMessage and fitChoices', { timeout }, () =>
    expectLinear(
      {
        imports: { limits: 'src/discord/limits.ts' },
        call: "[limits.clip(input, input.length >> 1), limits.fitEmbed({ title: input, description: input, fields: [{ name: input, value: input }], footer: { text: input } }), limits.fitMessage({ content: input, embeds: [{ description: input }, { description: input }] }), limits.fitChoices([{ name: input, value: 'v' }])]",
      },
      WHITESPACE_FAMILIES,
    ));

  it('chunkFile on Markdown (the parser, or the fallback for what it cannot parse in linear time)', { timeout }, () =>
    expectLinear(
      { imports: { documents: 'src/library/documents.ts' }, call: "documents.chunkFile('hostile.md', input)" },
      // The inputs micromark is superlinear on: they must take the fallback.
      {
        'a run of [': MARKDOWN_FAMILIES['a run of [']!,
        'labels without ](': MARKDOWN_FAMILIES['labels without ](']!,
        'nested block quotes': (n) => fill('>', n),
        'nested lists': (n) => Array.from({ length: Math.ceil(n / 64) }, (_, i) => `${' '.repeat((2 * i) % 400)}- item\n`).join('').slice(0, n),
        'emphasis runs': (n) => fill('*a', n),
        'emphasis over lines': (n) => fill('*a\n', n),
        'html tags': (n) => fill('<div>\n', n),
        // HTML blocks of components (isWidget): nested ones with text, closing tags none opened.
        'nested components': (n) => `<div>\n${fill('<A><B>x', n - 6)}`,
        'stray closing tags': (n) => `<div>\n${fill('<A>', n >> 1)}${fill('</b>', n >> 1)}`,
        // Lines that look like list items or table rows but are a paragraph's text: the marks add
        // up, and the fallback takes the file. (Real items and rows are parsed one by one, linear
        // but at micromark's pace: 200 KB of `- *a*a…` items takes 2.6 s against 0.65–0.9 s for
        // 50 KB, table rows 2.5 s against 0.6–0.9 s — too slow for this harness's deadline; their
        // bound is `markdownIsTractable`'s per-item count, tested in tests/core/markdown.test.ts.)
        'empty bullets in a paragraph': (n) => fill('*a*a*a*a\n*  \n', n),
        'deep bullets in a paragraph': (n) => fill('*a*a*a*a\n    * x\n', n),
        'other numbers in a paragraph': (n) => fill('*a*a*a*a\n2. x\n', n),
        'a paragraph after a broken delimiter row': (n) => `a|b\n|-|-|-|\n${fill('|*a*a*a*a\n', n)}`,
        // Site generators' syntax inside a line is markup (`templateMarkup`), closed or not.
        'template tags': (n) => fill('{% a %}{{< b >}}&amp;![[c]]%%d%%{:e} ', n),
        'unclosed template tags': (n) => fill('{:![[{%{{<%%&#', n),
        'template code tags': (n) => fill('{{< highlight go >}}\nx\n{% highlight ruby %}\n{{< /code >}}\n', n),
      },
    ));

  it('pickQuote', { timeout }, () =>
    expectLinear(
      {
        imports: { quote: 'src/core/quote.ts', analyzer: 'src/core/analyzer.ts' },
        setup: "const a = new analyzer.Analyzer(); const weights = new Map([['putin', 2], ['chef', 1]])",
        call: 'quote.pickQuote(input, 1, weights, a)',
      },
      // Many short sentences: the best run of sentences is searched within a bounded window of them.
      { ...SENTENCE_FAMILIES, ...WHITESPACE_FAMILIES, 'short sentences with matches': (n) => fill('Putin. Chef! ', n) },
    ));
});
