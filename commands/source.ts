/** `/source file:<autocomplete> [lines:"12-20"]` — a document's lines verbatim, to check a citation. */
import type { ChatInputCommandInteraction } from 'discord.js';
import { linkOptions, type BotContext, type HandlerOutcome } from '../src/discord/context.ts';
import { fileAutocomplete } from '../src/discord/autocomplete.ts';
import { numberedLines, readSource, SourceRefusedError } from '../src/discord/source-files.ts';
import { renderSource } from '../src/discord/render/answer.ts';
import { renderNotice } from '../src/discord/render/payload.ts';
import { argumentsOf, slashCommand, type OptionSpec } from '../src/discord/options.ts';
import { respond } from '../src/discord/respond.ts';

export const options = [
  { type: 'string', name: 'file', description: 'The document', required: true, autocomplete: true, maxLength: 100 },
  { type: 'string', name: 'lines', description: 'A line or range, e.g. 12-20', maxLength: 20 },
] as const satisfies readonly OptionSpec[];

export const data = slashCommand({ name: 'source', description: "Show a document's lines verbatim, to check a citation" }, options);

/** `"12"`, `"12-20"` or `"12–20"` → a range; undefined when it is not one. */
export function parseLineRange(text: string): [number, number] | undefined {
  // Trimmed first, so no two runs of spaces can compete for the same characters.
  const match = /^(\d{1,7})(?:\s*[-–—:]\s*(\d{1,7}))?$/.exec(text.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] ? Number(match[2]) : start;
  return start >= 1 && end >= start ? [start, end] : undefined;
}

export async function execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<HandlerOutcome> {
  const { file: name, lines: linesOption } = argumentsOf(interaction, options);
  let range: [number, number] | undefined;
  if (linesOption) {
    range = parseLineRange(linesOption);
    if (!range) {
      await respond(interaction, renderNotice('`lines` must be a line number or a range like `12-20`.'));
      return {};
    }
  }
  let file: { source: string; text: string };
  try {
    file = await readSource(ctx, name);
  } catch (error) {
    if (!(error instanceof SourceRefusedError)) throw error;
    await respond(interaction, renderNotice(error.message));
    return {};
  }
  const totalLines = file.text.split('\n').length;
  const [from, to] = range ?? [1, totalLines];
  if (from > totalLines) {
    await respond(interaction, renderNotice(`\`${file.source}\` has ${totalLines} lines.`));
    return {};
  }
  const record = ctx.library.index.file(file.source);
  await respond(
    interaction,
    renderSource(
      {
        source: file.source,
        title: ctx.library.index.displayTitle(file.source) ?? file.source,
        bytes: Buffer.byteLength(file.text),
        passages: record?.chunks.length ?? 0,
        totalLines,
        lines: numberedLines(file.text, from, to),
      },
      linkOptions(ctx),
    ),
  );
  return { passages: record?.chunks.length ?? 0 };
}

export { fileAutocomplete as autocomplete };
