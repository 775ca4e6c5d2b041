/** /help, written from the commands' definitions, and the answer to a mention with no question. */
import type { SlashCommand } from '../context.ts';
import { COLOR_ANSWER, type ReplyPayload } from './payload.ts';

/** One `/help` line per command, from its definition: `/ask question: [results:]` — what it does. */
function commandHelpLines(commands: readonly SlashCommand[]): string[] {
  return commands.map((command) => {
    const definition = command.data.toJSON();
    const options = definition.options ?? [];
    const usage = [`/${definition.name}`, ...options.map((o) => ('required' in o && o.required ? `${o.name}:` : `[${o.name}:]`))].join(' ');
    const details = options.map((o) => `\`${o.name}:\` ${o.description}`).join(' · ');
    return `\`${usage}\` — ${definition.description}.${details ? ` ${details}.` : ''}${command.help ? ` ${command.help}` : ''}`;
  });
}

export function renderHelp(commands: readonly SlashCommand[]): ReplyPayload {
  return {
    ephemeral: true,
    embeds: [
      {
        title: 'Verbatim — answers quoted from the documents, never made up',
        color: COLOR_ANSWER,
        description: [
          'Every answer is a **verbatim quote** from the indexed documents with its file and line numbers, so anyone can check it. When nothing matches well enough, I say the answer is not in the corpus instead of guessing.',
          '',
          '**Commands**',
          ...commandHelpLines(commands),
          '',
          '**Mentions** — mention me with a question in a thread and I answer there; in a channel I open a thread.',
          '',
          '**Query syntax** — plain words · `"exact phrase"` · `-word` to exclude · `file:NAME` for one document.',
          'A misspelt name or word is searched as the closest word the documents have, and chat shorthand (`vc`, `msg`) as its full words; the answer says so.',
        ].join('\n'),
      },
    ],
  };
}

/** A mention with no question. */
export function renderMentionHelp(): ReplyPayload {
  return { content: 'Ask me a question after the mention, e.g. “@Verbatim who is Putin\'s chef?” — I answer with quotes from the documents. `/help` for more.' };
}
