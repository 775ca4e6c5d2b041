/**
 * A question that names a page or a section ("what are intents") is answered first by the
 * passage that opens it, where documentation says what the thing is (`topic-lead.ts`).
 */
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { chunkFile } from '../../src/library/documents.ts';
import { VerbatimIndex } from '../../src/engine/verbatim-index.ts';

function indexOf(files: Record<string, string>): VerbatimIndex {
  const index = new VerbatimIndex();
  index.apply(
    Object.entries(files).map(([source, text], f) => ({ source, size: text.length, mtimeMs: 0, sha256: String(f), ...chunkFile(source, text) })),
    [],
  );
  return index;
}

/** Short pages on other topics, so that the words asked are rare here, as in real documentation. */
function otherPages(topics: readonly string[], says: string): Record<string, string> {
  return Object.fromEntries(topics.map((topic) => [`${topic.toLowerCase()}.md`, `# ${topic}\n\n${topic} ${says}.\n`]));
}

/** The audio player's page, whose opening says what it is, beside a voice connections page that says `connections`. */
function voicePages(connections: string): VerbatimIndex {
  return indexOf({
    ...otherPages(['Buttons', 'Embeds', 'Threads', 'Webhooks'], 'are part of a message'),
    'audio-player.md': '# Audio Player\n\nAn audio player plays audio resources across voice connections.\n\n## Pausing\n\nCall `player.pause()` to pause the player.\n',
    'connections.md': `# Voice Connections\n\n${connections}\n`,
  });
}

const intents = [
  '# Gateway Intents',
  '',
  'Gateway Intents let a bot choose which events Discord sends it.',
  '',
  '## Privileged Intents',
  '',
  'Privileged intents carry member data, so Discord asks you to switch them on in the portal.',
  '',
  'The privileged intents are GuildMembers, GuildPresences and MessageContent; each intent is named in the portal.',
  '',
  '## Enabling Intents',
  '',
  '```js',
  'const client = new Client({ intents: [GatewayIntentBits.Guilds] }); // intents intents intents',
  '```',
  '',
  'Pass the intents your bot needs to the client; every intent you leave out is an intent whose events never arrive, and intents cost nothing.',
].join('\n');

const docs = indexOf({
  'intents.md': intents,
  'changes.md': '# Changes\n\n## Intents\n\nIntents are now required: an intent list is passed to the client, and intents are checked at login.\n',
  'widgets.txt': 'Widgets\n\nWidgets are small boxes a server shows on its website.\n\nA widget can be turned off by a moderator.\n',
  // Other pages, so that "intents" is a rare word here, as in real documentation.
  ...Object.fromEntries(
    ['Buttons', 'Embeds', 'Threads', 'Webhooks', 'Emojis', 'Roles', 'Invites', 'Stickers'].map((topic) => [
      `${topic.toLowerCase()}.md`,
      `# ${topic}\n\n${topic} are part of a message or a server.\n\n## Creating ${topic.toLowerCase()}\n\nA bot creates ${topic.toLowerCase()} with a builder and sends them.\n`,
    ]),
  ),
});

describe('a question that names a heading', () => {
  it('is answered first by the opening passage of the page titled with it', () => {
    const [first] = ask(docs, 'what are intents').results;
    expect(first).toMatchObject({ source: 'intents.md', lines: [3, 3] });
    // Bare, or with a word that only asks for an explanation: the same.
    expect(ask(docs, 'intents?').results[0]).toMatchObject({ source: 'intents.md', lines: [3, 3] });
    expect(ask(docs, 'explain intents', { requireRelevance: false }).results[0]).toMatchObject({ source: 'intents.md', lines: [3, 3] });
  });

  it('is answered first by the opening passage of a section titled with it, prose before code', () => {
    // The section's two short paragraphs are one passage, quoted whole.
    expect(ask(docs, 'what are privileged intents').results[0]).toMatchObject({ source: 'intents.md', lines: [7, 9], section: 'Privileged Intents' });
    expect(ask(docs, 'enabling intents').results[0]).toMatchObject({ source: 'intents.md', lines: [17, 17], section: 'Enabling Intents' });
  });

  it('prefers a page titled with it among the best files to a section of the best one', () => {
    const voice = indexOf({
      ...otherPages(['Buttons', 'Embeds', 'Threads', 'Webhooks'], 'are part of a message'),
      'voice.md': '# Voice\n\n## Playing with an audio player\n\nSubscribe the connection to the audio player; the audio player plays the audio player resource on the connection.\n',
      'audio-player.md': '# Audio Player\n\nAn audio player plays audio across voice connections.\n\n## Cheat sheet\n\nCreate one with `createAudioPlayer()`.\n',
    });
    const answer = ask(voice, "what's the audio player");
    expect(answer.results.map((result) => result.source)).toContain('voice.md');
    expect(answer.results[0]).toMatchObject({ source: 'audio-player.md', lines: [3, 3] });
  });

  it('looks in the best five files, not only the files of the best five passages, and not in a change log: an FAQ below a page that repeats the words', () => {
    const sections = ['Channel messages', 'Sending to channels', 'Message sending', 'Channel messages in threads', 'Sending to voice channels', 'Message sending errors'];
    const faq = indexOf({
      // Six passages that repeat the words, under headings that each name two of them.
      'permissions.md': ['# Permissions', '', ...sections.flatMap((name) => [`## ${name}`, '', `${name}: to send a message in a channel, send messages needs the channel's permission to send a message.`, ''])].join('\n'),
      'faq.md': '# FAQ\n\n## How do I send a message to a specific channel?\n\n```js\nconst target = lookup(id);\nawait target.post(content);\n```\n\n## How do I ban a user?\n\n```js\nguild.members.ban(user);\n```\n',
      // A change log's heading names it too, but is about what changed.
      'CHANGELOG.md': '# Changelog\n\n## Send a message to a channel\n\nIt returns the message now.\n',
      ...otherPages(['Buttons', 'Embeds', 'Threads'], 'are part of a message'),
    });
    const passages = faq.search({ terms: faq.analyzer.terms('send message channel'), limit: 5 });
    expect(passages.map((hit) => hit.passage.source)).not.toContain('faq.md');
    expect(ask(faq, 'how do i send a message to a channel').results[0]).toMatchObject({ source: 'faq.md', section: 'How do I send a message to a specific channel?' });
  });

  it('prefers a heading that asks what the question asks: "how do i kick" meets "How do I kick…?", not "Who kicked…?"', () => {
    const guide = indexOf({
      'audit-logs.md': '# Audit logs\n\n## Receiving\n\n### Who kicked a user?\n\nRead the kick entry of the audit log to see who kicked the user.\n',
      'faq.md': '# FAQ\n\n## Administrative\n\n### How do I kick a guild member?\n\n```js\nawait member.kick();\n```\n',
      ...otherPages(['Buttons', 'Embeds', 'Threads'], 'are part of a message'),
    });
    expect(ask(guide, 'how do i kick someone').results[0]).toMatchObject({ source: 'faq.md', lines: [8, 8] });
    expect(ask(guide, 'who kicked the user').results[0]!.source).toBe('audit-logs.md');
  });

  it('passes over a box that opens the page without naming the topic, and finds the opening beyond the best hits', () => {
    const props = [
      '# Props',
      '',
      'This page assumes you have already read Components Basics.',
      '',
      '## Declaration',
      '',
      'Components declare the props they accept, so that the rest of what a parent passes is an attribute.',
      '',
      ...Array.from({ length: 8 }, (_, i) => [`## Detail ${i}`, '', `Props detail ${i}: props, props and more props for props number ${i}.`, '']).flat(),
    ].join('\n');
    const index = indexOf({ 'props.md': props, ...otherPages(['Events', 'Slots', 'Styles'], 'belong to components') });
    // BM25 alone puts the eight passages that repeat "props" first.
    expect(index.search({ terms: ['prop'], limit: 5 }).map((hit) => hit.passage.lines[0])).not.toContain(7);
    expect(ask(index, 'what are props').results[0]).toMatchObject({ source: 'props.md', lines: [7, 7], section: 'Declaration' });
  });

  it('answers "how do I …" with the first passage under a heading that asks it, code included', () => {
    const faq = indexOf({
      ...otherPages(['Buttons', 'Embeds', 'Threads', 'Webhooks'], 'are part of a message'),
      'faq.md': '# FAQ\n\n## How do I ban a user?\n\n```js\nguild.members.ban(user);\n```\n\nA banned user cannot join again until unbanned.\n',
      'changes.md': '# Changes\n\n## Bans\n\nBans moved: `guild.bans.fetch(user)` fetches the ban of a user, and every ban of a user is a ban object.\n',
    });
    expect(ask(faq, 'how do i ban a user').results[0]).toMatchObject({ source: 'faq.md', lines: [6, 6], code: 'js' });
    // Asked what it is, the same heading's prose comes first.
    expect(ask(faq, 'banning a user?', { requireRelevance: false }).results[0]).toMatchObject({ source: 'faq.md', lines: [9, 9] });
  });

  it('looks for the topic’s page without the words that only ask for an explanation', () => {
    const vue = indexOf({
      ...otherPages(['Buttons', 'Embeds', 'Threads', 'Webhooks'], 'are part of a page'),
      'watchers.md': '# Watchers\n\nWatchers run a callback whenever a piece of reactive state changes.\n',
      // Six pages that explain something about watchers: the best five files for the question.
      ...Object.fromEntries(
        ['Reactivity', 'Effects', 'Rendering', 'Lifecycle', 'Stores', 'Testing'].map((topic) => [
          `${topic.toLowerCase()}.md`,
          `# ${topic} in depth\n\nThis explains how ${topic.toLowerCase()} relate to watchers, and explains the limits of watchers.\n`,
        ]),
      ),
    });
    const files = new Set(vue.search({ terms: ['explain', 'watcher'], limit: 5 }).map((hit) => hit.passage.source));
    expect(files.has('watchers.md')).toBe(false);
    expect(ask(vue, 'explain watchers', { requireRelevance: false }).results[0]).toMatchObject({ source: 'watchers.md', lines: [3, 3] });
  });

  it('reads "how do I use X" as a question about X: "use" asks for the page, like "explain"', () => {
    const voice = voicePages('To use an audio player, use `connection.subscribe(player)`: use the audio player you made for the audio you use.');
    expect(ask(voice, 'how do i use the audio player', { requireRelevance: false }).results[0]).toMatchObject({ source: 'audio-player.md', lines: [3, 3] });
  });

  it('reads "how does X work" and "what does X look like" as questions about X; "why doesn\'t X work" is not one', () => {
    const voice = voicePages('The audio player works once a connection subscribes to it; an audio player that works alone plays to nobody.');
    for (const question of ['how does the audio player work', 'what does an audio player look like']) {
      expect(ask(voice, question, { requireRelevance: false }).results[0]).toMatchObject({ source: 'audio-player.md', lines: [3, 3] });
    }
    expect(ask(voice, 'why doesnt my audio player work', { requireRelevance: false }).results[0]!.source).toBe('connections.md');
  });

  it('reads a page’s folders as part of its title: "Deleting commands" in slash-commands/ names a slash command, never a folder alone', () => {
    const pages = {
      'slash-commands/deleting-commands.md': '# Deleting commands\n\nTo delete commands you have registered, run the deploy script with an empty list.\n',
      'slash-commands/response-methods.md': '# Response methods\n\n## Deleting responses\n\nAfter replying to a slash command, you may also delete the reply to the slash command with `deleteReply()`.\n',
      'slash-commands/permissions.md': '# Permissions\n\nA slash command can require a permission; a slash command without one is open to all.\n',
      ...otherPages(['Buttons', 'Embeds', 'Threads', 'Webhooks'], 'are part of a message'),
    };
    const guide = indexOf(pages);
    // BM25 alone puts the passage that says "delete" and "slash command" first.
    expect(guide.search({ terms: guide.analyzer.terms('delete slash command'), limit: 1 })[0]!.passage.source).toBe('slash-commands/response-methods.md');
    expect(ask(guide, 'how do i delete a slash command').results[0]).toMatchObject({ source: 'slash-commands/deleting-commands.md', lines: [3, 3] });
    // The folder completes a title; it is no title itself: every page under slash-commands/ names it.
    expect(ask(guide, 'can a slash command require a permission').results[0]!.source).toBe('slash-commands/permissions.md');
    expect(ask(guide, 'what is a slash command', { requireRelevance: false }).results[0]!.source).not.toBe('slash-commands/deleting-commands.md');
    // A title that names the whole topic itself still does, inside a folder of the same name.
    const intro = indexOf({ ...pages, 'slash-commands/README.md': '# Slash commands\n\nUsers run these by typing a slash before a name.\n' });
    expect(ask(intro, 'what is a slash command').results[0]).toMatchObject({ source: 'slash-commands/README.md', lines: [3, 3] });
  });

  it('counts no folder that every file is in: `docs/` names the corpus, not a part of it', () => {
    const docs = indexOf({
      'docs/guides/deleting-commands.md': '# Deleting commands\n\nTo delete commands you have registered, run the deploy script with an empty list.\n',
      'docs/guides/replies.md': '# Replies\n\nA doc command replies in the channel; to delete a doc command reply, call `deleteReply()` on the doc command.\n',
      ...Object.fromEntries(Object.entries(otherPages(['Buttons', 'Embeds', 'Threads'], 'are part of a message')).map(([name, text]) => [`docs/${name}`, text])),
    });
    expect(docs.rootFolder()).toBe('docs/');
    expect(indexOf({ 'docs/a.md': '# A\n', 'docs2/b.md': '# B\n' }).rootFolder()).toBe('');
    expect(indexOf({ 'guide/voice/a.md': '# A\n', 'guide/voice/b.md': '# B\n' }).rootFolder()).toBe('guide/voice/');
    // "guides" stays a part of the docs; "docs" is every page's, so "Deleting commands" names no doc command.
    expect(ask(docs, 'how do i delete a guide command').results[0]!.source).toBe('docs/guides/deleting-commands.md');
    expect(ask(docs, 'how do i delete a doc command').results[0]!.source).toBe('docs/guides/replies.md');
  });

  it('opens with the first passage when none of the first few says the word as the question stems it', () => {
    // Porter keeps "reaction" apart from "react": the page never says "reactions" until its last section.
    const page = ['# Reactions', '', '## Reacting to messages', '', 'Many people want to know how to react with emojis first.', '', ...Array.from({ length: 9 }, (_, i) => [`## Step ${i}`, '', `Step ${i} of reacting with an emoji.`, '']).flat(), '## Removing reactions', '', 'Removing reactions takes one call.', ''].join('\n');
    const index = indexOf({ 'reactions.md': page, ...otherPages(['Events', 'Slots', 'Styles'], 'belong to messages') });
    expect(ask(index, 'what are reactions').results[0]).toMatchObject({ source: 'reactions.md', lines: [5, 5] });
  });

  it('skips a plain-text file’s first line, its title', () => {
    expect(ask(docs, 'what are widgets').results[0]).toMatchObject({ source: 'widgets.txt', lines: [3, 3] });
  });

  it('leaves the order alone when the question asks for more than a heading names', () => {
    // No heading has "pass" and "client": the passages that say so come first, not the page's opening.
    const passed = ask(docs, 'how do i pass intents to the client').results;
    expect(passed.slice(0, 2).map((result) => `${result.source}:${result.lines[0]}`).sort()).toEqual(['changes.md:5', 'intents.md:17']);
    expect(ask(docs, 'which intents carry member data').results[0]).toMatchObject({ source: 'intents.md', lines: [7, 9] });
  });

  it('keeps the question’s filters: an excluded word is never shown for the opening passage', () => {
    // "choose" is in the opening passage only.
    const answer = ask(docs, 'what are intents -choose', { requireRelevance: false });
    expect(answer.results.length).toBeGreaterThan(0);
    for (const result of answer.results) expect(result.quote).not.toContain('choose');
  });

  it('quotes a long opening passage from its first sentence', () => {
    // Left to itself, the quote would be the shortest sentence with the word: "Sharding helps."
    const filler = 'Each process holds some guilds and talks to the gateway on its own. '.repeat(6);
    const long = ['# Sharding', '', `Sharding splits one bot over many processes, so that each holds its own share of the guilds. ${filler}Sharding helps. ${filler}`].join('\n');
    const [first] = ask(indexOf({ 'sharding.md': long, 'other.md': '# Other\n\nSharding needed past 2,500 guilds is a rule; sharding again.\n' }), 'what is sharding').results;
    expect(first!.source).toBe('sharding.md');
    expect(first!.quote.startsWith('Sharding splits one bot over many processes,')).toBe(true);
    expect(first!.quote.endsWith(' …')).toBe(true);
  });
});

describe('a question that quotes a heading', () => {
  const errors = [
    '# Errors',
    '',
    '## Common errors',
    '',
    '### Cannot send messages to this user.',
    '',
    'This error is thrown when the bot tries to DM someone who shares no server with it, or who has blocked it.',
    '',
    '### An invalid token was provided.',
    '',
    'The token in your config is wrong, or it was reset in the portal.',
  ].join('\n');
  const index = indexOf({
    'errors.md': errors,
    'permissions.md': '# Permissions\n\nA user cannot send messages to a channel without Send Messages; a bot that cannot send messages to this user or that user needs that permission, and messages to a user need it too.\n',
    'changes.md': '# Changes\n\n## User and Message Commands\n\nUser commands and message commands are now live.\n',
    'commands.md': '# Context menus\n\n## User commands\n\nA user command runs on a user; a message command runs on a message: the difference is the target.\n',
    ...otherPages(['Buttons', 'Embeds', 'Threads', 'Webhooks'], 'are sent by a bot to a channel'),
  });

  it('is answered first by the opening of that section: a pasted error names its section', () => {
    expect(ask(index, 'DiscordAPIError[50007]: Cannot send messages to this user').results[0]).toMatchObject({ source: 'errors.md', lines: [7, 7] });
    expect(ask(index, 'why do i get Error [TokenInvalid]: An invalid token was provided.').results[0]).toMatchObject({ source: 'errors.md', lines: [11, 11] });
  });

  it('a "quoted" error that is a heading finds the section under it, whose text need not repeat it', () => {
    const docs = indexOf({
      'errors.md': '# Common errors\n\n## Failed to Terminate Worker\n\nThis happens when fetch is used with the threads pool; switch back to forks.\n',
      'performance.md': '# Performance\n\n## Pool\n\nWith threads, a test that leaves a handle open prints "Failed to terminate worker" when tests finish.\n',
      'workers.md': '# Terminate workers\n\nA worker that failed is restarted when tests finish.\n',
      ...otherPages(['Buttons', 'Embeds', 'Threads', 'Webhooks'], 'are part of a test run'),
    });
    const results = ask(docs, 'getting "Failed to terminate worker" when tests finish').results;
    expect(results[0]).toMatchObject({ source: 'errors.md', lines: [5, 5] });
    // Still a phrase: its words scattered over a passage's text and headings are not it.
    expect(results.map((result) => result.source)).not.toContain('workers.md');
    expect(ask(docs, 'workers that failed when tests finish').results.map((result) => result.source)).toContain('workers.md');
  });

  it('only when the heading’s words stand in a row: scattered through the question, they name nothing', () => {
    expect(ask(index, 'what is the difference between a user command and a message command').results[0]!.source).toBe('commands.md');
  });
});
