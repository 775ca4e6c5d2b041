/**
 * Answers rendered as Discord messages (pure: an `Answer` in, a `ReplyPayload` out): /ask with
 * its buttons, /search, /source and the Context view.
 */
import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { correctionLine, phraseLines, type Answer, type AnswerResult } from '../../core/answer.ts';
import { foldWhitespace } from '../../core/text.ts';
import { lackingLine } from '../../core/answer-type.ts';
import { escapeText, formatCode, formatLinesReference, formatQuote, formatReference } from '../format.ts';
import { clip, LIMITS } from '../limits.ts';
import { COLOR_ANSWER, COLOR_NOT_FOUND, type RenderOptions, type ReplyPayload } from './payload.ts';

/** Custom ids of the answer buttons: `more:<key>:<offset>` and `ctx:<key>`. */
export const BUTTON = { more: 'more', context: 'ctx' } as const;

/** A table's header row above a quote of its rows is cut to this many characters. */
const MAX_HEADER_CHARS = 300;

/**
 * The "Showing results for *kremlin*", "No passage contains …" and "No passage with … answers"
 * lines, escaped, with a blank line after them; '' when nothing was corrected and every phrase
 * was searched as typed.
 */
function correctionHead(answer: Answer): string {
  const corrected = correctionLine(answer.corrected, { shown: (word) => `*${escapeText(word)}*`, typed: escapeText });
  // Bounded: at most MAX_CORRECTIONS misspellings of at most MAX_CORRECTED_LENGTH, and shorthand
  // from a fixed list (every entry of it in one question: ~600 characters); limits.ts guards the rest.
  // The phrases are at most the question's length (MAX_QUESTION_CHARS), clipped here besides.
  const phrases = phraseLines(answer, (phrase) => escapeText(clip(phrase, MAX_PHRASE_SHOWN)));
  const lines = corrected ? [corrected, ...phrases] : phrases;
  return lines.length ? `${lines.join('\n')}\n\n` : '';
}

/** Why nothing was quoted: the passages lack the age, sum or count asked for, or nothing matches enough. */
function notFoundReason(answer: Answer): string {
  const lacking = lackingLine(answer.lacking);
  return lacking ? `${lacking} I only answer with quotes, so I won't guess.` : "No passage matches enough of your question, and I only answer with quotes, so I won't guess.";
}

/** A phrase no passage contains is shown at most this long. */
const MAX_PHRASE_SHOWN = 100;

export function renderAnswer(answer: Answer, options: RenderOptions & { key?: string } = {}): ReplyPayload {
  const title = clip(answer.query, LIMITS.embedTitle);
  const head = correctionHead(answer);
  const footer = { text: `${answer.searched} passages searched · ${Math.round(answer.tookMs * 10) / 10} ms · quotes only, never paraphrased` };
  if (!answer.answered) {
    return {
      embeds: [
        {
          title: escapeText(title),
          color: COLOR_NOT_FOUND,
          description:
            answer.offset > 0
              ? 'No more passages match this question.'
              : head + `**Not found in the corpus.** ${notFoundReason(answer)}\nTry \`/search\` with a few key words, or ask it another way.`,
          footer,
        },
      ],
    };
  }
  const also = (result: AnswerResult) => (result.also.length ? ` (also ${result.also.length}× elsewhere)` : '');
  // Rows of a table under their header row, which the quote's lines leave out.
  const headerOf = (result: AnswerResult) =>
    result.tableHeader ? { quote: `> ${formatQuote(foldWhitespace(result.tableHeader.text), [], MAX_HEADER_CHARS)}\n> …\n`, note: ` (header row: L${result.tableHeader.line})` } : { quote: '', note: '' };
  // Share the description between the quotes; markup, headers and references are counted
  // first (a reference is at most as long as the one for the quote's whole range).
  // A code example's reference is its lines after the quote's: `, L19–21`.
  const exampleReference = (result: AnswerResult, lines: readonly [number, number]) => `, ${formatLinesReference(result.source, lines, options.sourceBaseUrl)}`;
  const fixed =
    head.length +
    answer.results.reduce((sum, result) => {
      const header = headerOf(result);
      const example = result.example ? exampleReference(result, result.example.lines).length + 16 : 0;
      return sum + formatReference(result.source, result.lines, options.sourceBaseUrl, result.section).length + also(result).length + header.quote.length + header.note.length + 16 + example;
    }, 0);
  const quotes = answer.results.reduce((sum, result) => sum + (result.example ? 2 : 1), 0);
  const perQuote = Math.max(80, Math.min(1500, Math.floor((LIMITS.embedDescription - fixed) / Math.max(1, quotes) / 1.3)));
  // A cut code quote cites only the lines it shows.
  const codeQuote = (quote: string, lang: string, lines: readonly [number, number]) => {
    const { block, shown } = formatCode(quote, lang, perQuote);
    return { block, lines: [lines[0], Math.min(lines[1], lines[0] + shown - 1)] as [number, number] };
  };
  const description = head + answer.results
    .map((result) => {
      let quote: string;
      let lines = result.lines;
      if (result.code !== undefined) ({ block: quote, lines } = codeQuote(result.quote, result.code, lines));
      else quote = `> ${formatQuote(result.quote, result.highlights, perQuote).replaceAll('\n', '\n> ')}`; // table rows and list items: a line each
      // Prose, then the code it introduces, then one reference for both.
      const example = result.example && codeQuote(result.example.quote, result.example.code, result.example.lines);
      const header = headerOf(result);
      const reference = formatReference(result.source, lines, options.sourceBaseUrl, result.section) + (example ? exampleReference(result, example.lines) : '');
      return `${header.quote}${quote}${example ? `\n${example.block}` : ''}\n— ${reference}${header.note}${also(result)}`;
    })
    .join('\n\n');
  return {
    embeds: [{ title: escapeText(title), color: COLOR_ANSWER, description, footer }],
    ...(options.key ? { components: answerButtons(answer, options.key) } : {}),
  };
}

/** More (the next page, disabled on the last) and Context, under an answer remembered as `key`. */
function answerButtons(answer: Answer, key: string): NonNullable<ReplyPayload['components']> {
  const next = answer.offset + answer.results.length;
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'More', custom_id: `${BUTTON.more}:${key}:${next}`, disabled: !answer.more },
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Context', custom_id: `${BUTTON.context}:${key}` },
      ],
    },
  ];
}

/** `/search`: one line per passage — reference, then the first ~150 characters. */
export function renderSearch(answer: Answer, options: RenderOptions = {}): ReplyPayload {
  const lines = answer.results.map(
    // Code, table rows and list items are folded onto the line here (a list entry is one line); their full
    // form is in /ask. A row's line break is one character, as the space that replaces it.
    (result, i) =>
      `**${answer.offset + i + 1}.** ${formatReference(result.source, result.lines, options.sourceBaseUrl, result.section)} — ${
        result.code !== undefined ? formatQuote(foldWhitespace(result.quote), [], 150) : formatQuote(result.quote.replaceAll('\n', ' '), result.highlights, 150)
      }`,
  );
  return {
    embeds: [
      {
        title: escapeText(clip(`Search: ${answer.query}`, LIMITS.embedTitle)),
        color: answer.results.length ? COLOR_ANSWER : COLOR_NOT_FOUND,
        description: correctionHead(answer) + (lines.length ? lines.join('\n') : 'No passage contains these words.'),
        footer: { text: `${answer.results.length} shown · ${answer.searched} passages searched · ${Math.round(answer.tookMs * 10) / 10} ms` },
      },
    ],
  };
}

export interface NumberedLine {
  number: number;
  text: string;
}

/** Lines in a code block, numbered, cut at a whole line to fit `budget` characters. */
export function codeBlockLines(lines: readonly NumberedLine[], budget: number): { block: string; shown: number } {
  const width = String(lines.at(-1)?.number ?? 0).length;
  let body = '';
  let shown = 0;
  for (const line of lines) {
    // A code block cannot be closed from inside: break up any ``` in the text.
    const text = line.text.replace(/\t/g, '  ').replace(/`(?=``)/g, '`\u200b');
    const row = `${String(line.number).padStart(width)}  ${clip(text, 400)}\n`;
    if (body.length + row.length + 8 > budget) break;
    body += row;
    shown++;
  }
  return { block: '```\n' + body + '```', shown };
}

export interface SourceView {
  source: string;
  title: string;
  bytes: number;
  passages: number;
  totalLines: number;
  /** The requested lines. */
  lines: NumberedLine[];
}

/** `/source`: title, size, passage count and the requested lines verbatim. */
export function renderSource(view: SourceView, options: RenderOptions = {}): ReplyPayload {
  const first = view.lines[0]?.number ?? 1;
  const header = `${formatReference(view.source, [first, view.lines.at(-1)?.number ?? first], options.sourceBaseUrl)}\n${view.bytes.toLocaleString('en-US')} bytes · ${view.totalLines} lines · ${view.passages} passages`;
  const { block, shown } = codeBlockLines(view.lines, LIMITS.embedDescription - header.length - 200);
  const cut = shown < view.lines.length ? `\nShowing lines ${first}–${first + shown - 1} of the ${view.lines.length} asked for; ask for a narrower range to see the rest.` : '';
  return {
    embeds: [
      {
        title: escapeText(clip(view.title || view.source, LIMITS.embedTitle)),
        color: COLOR_ANSWER,
        description: `${header}\n${view.lines.length ? block : '(empty file)'}${cut}`,
      },
    ],
  };
}

export interface ContextView {
  source: string;
  lines: [number, number];
  context: NumberedLine[];
}

/** The Context button: each cited passage with 3 lines before and after, privately. */
export function renderContext(views: readonly ContextView[], options: RenderOptions = {}): ReplyPayload {
  const budget = Math.floor((LIMITS.embedDescription - 100) / Math.max(1, views.length)) - 120;
  const description = views
    .map((view) => `${formatReference(view.source, view.lines, options.sourceBaseUrl)}\n${codeBlockLines(view.context, budget).block}`)
    .join('\n');
  return { ephemeral: true, embeds: [{ title: 'Context of the cited lines', color: COLOR_ANSWER, description }] };
}
