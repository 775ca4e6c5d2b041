/**
 * The question's words against the corpus's: chat shorthand searched as its full words,
 * members' words beside the documentation's ("server" and guild), two words that the corpus writes as one, and a file's other passages as evidence for its best one.
 */
import { describe, expect, it } from 'vitest';
import { ask } from '../../src/core/answer.ts';
import { answerJson } from '../../src/cli/ask.ts';
import { DOCS_WORD_WEIGHT, DOCUMENT_POOL, JOINED_WEIGHT } from '../../src/core/options.ts';
import { asksAboutChange, DEFAULT_RANKING, demoteChangeLogs, isChangeLog, rerankByFile, type RankingOptions } from '../../src/core/ranking.ts';
import { indexDataset, rankDocuments } from '../../src/eval/evaluate.ts';
import { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { answerJudge, rarityFactor, searchTermsFor } from '../../src/core/search-terms.ts';
import { parseQuery } from '../../src/core/query.ts';

/**
 * The terms `ask` searches for a question, each weight with its English-rarity factor divided
 * out (`rarityFactor`, tested on its own below), so that each technique's weight shows alone.
 */
function termsFor(index: VerbatimIndex, question: string) {
  const terms = searchTermsFor(index, parseQuery(question, index.analyzer));
  const termFrequency = new Map([...terms.termFrequency].map(([term, weight]) => [term, round(weight / rarityFactor(index, term))]));
  return { ...terms, termFrequency };
}

const round = (weight: number) => Math.round(weight * 1e9) / 1e9;

function indexOf(files: Record<string, string[]>, ranking?: RankingOptions): VerbatimIndex {
  const index = new VerbatimIndex(ranking ? { ranking } : {});
  index.apply(
    Object.entries(files).map(([source, paragraphs], f) => ({
      source,
      size: 1,
      mtimeMs: 0,
      sha256: String(f),
      title: source,
      chunks: paragraphs.map((text, i) => ({ text, lines: [2 * i + 1, 2 * i + 1] as [number, number] })),
    })),
    [],
  );
  return index;
}

const docs = indexOf({
  'responses.md': ['Call `interaction.deferReply()` when your command needs more than three seconds to answer.', 'An ephemeral reply is seen only by the member who ran the command.'],
  'voice.md': ['To leave a voice channel, destroy the connection with `connection.destroy()`.', 'A voice connection can subscribe to one audio player at a time.'],
  'members.md': ['Give a member a timeout with `member.timeout(60_000)`; pass null to remove it.', 'Your bot must login with its token before it can see any member.'],
  'other.md': ['Members join and leave servers all the time; a bot sees them as events.', 'Each message has an author, content and a channel.'],
  'setup.md': ['The setup takes a minute: set the token, then set the prefix.'],
});

describe('chat shorthand', () => {
  it('is searched as its full words when the corpus lacks it, and the answer says so', () => {
    const answer = ask(docs, 'how do i make my bot leave the vc', { requireRelevance: false });
    expect(answer.corrected).toEqual({ vc: 'voice channel' });
    expect(answer.results[0]!.source).toBe('voice.md');
    expect(JSON.parse(answerJson(answer)).corrected).toEqual({ vc: 'voice channel' });
  });

  it('is searched as typed when the corpus uses it, its full words beside it at DOCS_WORD_WEIGHT', () => {
    const withShorthand = indexOf({ 'a.md': ['Join the vc named General.'], 'b.md': ['A voice channel carries audio.'], 'c.md': ['Roles sort the members list.'] });
    const terms = termsFor(withShorthand, 'which vc');
    const { analyzer } = withShorthand;
    const [vc, voice, channel] = [analyzer.term('vc'), analyzer.term('voice'), analyzer.term('channel')];
    expect(terms.termFrequency.get(vc)).toBe(1);
    expect([terms.termFrequency.get(voice), terms.termFrequency.get(channel)]).toEqual([DOCS_WORD_WEIGHT, DOCS_WORD_WEIGHT]);
    const answer = ask(withShorthand, 'which vc', { requireRelevance: false });
    expect(answer.corrected).toBeUndefined();
    expect(answer.results.map((result) => result.source).sort()).toEqual(['a.md', 'b.md']);
  });

  it('the corpus has only in code is searched beside its full words, as a word, never a name: "msg" finds a message', () => {
    const code = indexOf({ 'code.md': ['const msg = await channel.send("hi");'], 'edits.md': ['Edit a message with `message.edit()`.'] });
    const terms = termsFor(code, 'how do i edit a msg');
    const [msg, message] = [code.analyzer.term('msg'), code.analyzer.term('message')];
    expect(terms.termFrequency.get(msg)).toBe(1); // a name would weigh nameWeight ×
    expect(terms.termFrequency.get(message)).toBe(DOCS_WORD_WEIGHT);
    expect(terms.joined.get(message)).toEqual([msg]);
    const answer = ask(code, 'how do i edit a msg', { requireRelevance: false });
    expect(answer.results[0]!.source).toBe('edits.md');
    expect(answer.corrected).toBeUndefined();
  });

  it('covers the names of services as people type them: "fb" is Facebook', () => {
    const news = indexOf({ 'a.md': ['Facebook removed 32 pages and accounts.'], 'b.md': ['The pages were on a state site.'] });
    const answer = ask(news, 'did fb remove the pages', { requireRelevance: false });
    expect(answer.corrected).toEqual({ fb: 'facebook' });
    expect(answer.results[0]!.source).toBe('a.md');
  });

  it('inside a "phrase" is left as typed', () => {
    expect(ask(docs, '"leave the vc"', { requireRelevance: false }).corrected).toBeUndefined();
  });
});

describe("members' words for what the documentation names otherwise", () => {
  const guide = indexOf({
    'deploying.md': ['Register guild commands to test them in one guild; global commands reach every guild.', 'Run the deploy script after each change.'],
    'servers.md': ['Invite your bot to your server with the link from the portal.', 'A server owner can kick the bot.'],
    'menus.md': ['A select menu lets members pick one or several options.', 'Set minValues and maxValues to allow several.'],
  });

  it('search the documentation\'s word beside the member\'s that the corpus has, standing for it: "server" finds guild commands', () => {
    const terms = termsFor(guide, 'how do i register a command for only one server');
    const [server, guild] = [guide.analyzer.term('server'), guide.analyzer.term('guild')];
    expect(terms.termFrequency.get(guild)).toBe(DOCS_WORD_WEIGHT);
    expect(terms.joined.get(guild)).toEqual([server]);
    // Judged as the word asked: matching "guild" is matching "server", never one more word.
    expect(answerJudge(guide, terms)([guild])).toEqual(answerJudge(guide, terms)([server]));
    const answer = ask(guide, 'how do i register a command for only one server', { requireRelevance: false });
    expect(answer.results[0]!.source).toBe('deploying.md');
    expect(answer.corrected).toBeUndefined();
  });

  it('are searched as the documentation\'s words when the corpus lacks them, and the answer says so', () => {
    const answer = ask(guide, 'can people pick several things in a dropdown', { requireRelevance: false });
    expect(answer.corrected).toEqual({ dropdown: 'select menu' });
    expect(answer.results[0]!.source).toBe('menus.md');
  });

  it('written as two words are met too: "drop down" and "drop-down" are a dropdown', () => {
    for (const question of ['can people pick several things in a drop down', 'can people pick several things in a drop-down']) {
      const answer = ask(guide, question, { requireRelevance: false });
      expect(answer.corrected).toEqual({ 'drop down': 'select menu' });
      expect(answer.results[0]!.source).toBe('menus.md');
    }
  });

  it('read a superlative as the limit the documentation states: "the longest" timeout is its maximum', () => {
    const faq = indexOf({
      'faq.md': ['Call `member.timeout(60_000)` to time a member out.', 'The maximum timeout duration you can set is 28 days.'],
      'cooldowns.md': ['A long cooldown makes members wait long before they can use the command again.'],
    });
    const answer = ask(faq, 'whats the longest timeout i can give', { requireRelevance: false });
    expect(answer.corrected).toEqual({ longest: 'maximum' });
    expect(answer.results[0]).toMatchObject({ source: 'faq.md', lines: [3, 3] });
  });

  it('"mute" is a timeout only beside itself: a corpus without the word is not asked about timeouts', () => {
    const http = indexOf({ 'client.md': ['Set `timeout` to abort a request that takes too long.'], 'logging.md': ['Pass `silent: true` to turn the logger off in tests.'] });
    const answer = ask(http, 'how do i mute the logger in tests', { requireRelevance: false });
    expect(answer.corrected).toBeUndefined();
    expect(answer.results[0]!.source).toBe('logging.md');
    const discord = indexOf({ 'faq.md': ['Give a member a timeout with `member.timeout(60_000)`.'], 'voice.md': ['A muted member cannot speak in voice; the bot can mute them.'] });
    expect(termsFor(discord, 'how do i mute someone').searchTerms).toContain(discord.analyzer.term('timeout'));
  });

  it('"ping" someone is a mention, searched beside it; a bot\'s ping is its latency, left alone', () => {
    const faq = indexOf({
      'mentions.md': ['Controlling which mentions will send a ping is done via the `allowedMentions` option.'],
      'latency.md': ['There are two common measurements for bot pings: the websocket heartbeat and the roundtrip latency.', 'A ping command replies with the ping of the bot.'],
    });
    const [ping, mention] = [faq.analyzer.term('ping'), faq.analyzer.term('mention')];
    for (const question of ['how do i stop my bot from pinging everyone', 'how do i ping a role', 'my bot pings @everyone', 'can the bot ping the user who ran it']) {
      const terms = termsFor(faq, question);
      expect(terms.termFrequency.get(mention), question).toBe(DOCS_WORD_WEIGHT);
      expect(terms.joined.get(mention), question).toEqual([ping]);
      expect(ask(faq, question, { requireRelevance: false }).results[0]!.source, question).toBe('mentions.md');
    }
    for (const question of ['why is my bots ping so high', 'how do i make a ping command', 'ping everything']) {
      expect(termsFor(faq, question).searchTerms, question).not.toContain(mention);
    }
    expect(ask(faq, 'why is my bots ping so high', { requireRelevance: false }).results[0]!.source).toBe('latency.md');
    expect(termsFor(faq, '"pinging everyone"').searchTerms).not.toContain(mention);
  });

  it('a reply that is private, hidden or that only its user can see is an ephemeral response, searched beside those words; a private thread, message or channel is not', () => {
    const responses = indexOf({
      'responses.md': ['Ephemeral responses to a slash command are seen only by the user who ran it: set the Ephemeral flag to hide them from the others.'],
      'threads.md': ['Private threads can only be seen by members who were invited; pass PrivateThread as the type.'],
      'commands.md': ['A slash command must be answered within three seconds, in the channel where it was used.', 'Every reply to a command is seen by everyone in its channel.'],
    });
    const ephemeral = responses.analyzer.term('ephemeral');
    for (const [question, standsFor] of [
      ['how do i reply privately to a slash command', 'privately'],
      ['how to send a hidden reply', 'hide'], // "hidden" is searched as its lemma, which the corpus has
      ['can i make a response only the user can see', 'see'],
      ['reply so no one else sees it', 'sees'],
    ] as const) {
      const terms = termsFor(responses, question);
      expect(terms.termFrequency.get(ephemeral), question).toBe(DOCS_WORD_WEIGHT);
      expect(terms.joined.get(ephemeral), question).toEqual([responses.analyzer.term(standsFor)]);
    }
    for (const question of ['how do i reply privately to a slash command', 'how to send a hidden reply', 'can i make a response only the user can see']) {
      expect(ask(responses, question, { requireRelevance: false }).results[0]!.source, question).toBe('responses.md');
    }
    for (const question of ['how do i make a private thread only invited members can see', 'how do i send a private message to a user', 'can i reply in a private channel', 'what can the user see in the reply', '"reply privately"']) {
      expect(termsFor(responses, question).searchTerms, question).not.toContain(ephemeral);
    }
  });

  it('inside a "phrase" are left as typed', () => {
    const terms = termsFor(guide, '"one server"');
    expect(terms.searchTerms).not.toContain(guide.analyzer.term('guild'));
  });
});

describe('an English word the corpus has only in another form', () => {
  const limits = indexOf({ 'limits.md': ['A timeout can last as long as 28 days.', 'Members buy roles in the shop.'], 'other.md': ['Channels hold messages.'] });

  it('is searched as its lemma: "longest" (which Porter keeps) as long, the irregular "bought" as buy', () => {
    const terms = termsFor(limits, 'whats the longest timeout');
    expect(terms.searchTerms).toContain(limits.analyzer.term('long'));
    expect(terms.searchTerms).not.toContain(limits.analyzer.term('longest'));
    // Judged as a word the corpus has: nothing of the question is out of vocabulary.
    expect(answerJudge(limits, terms)(terms.searchTerms).absentRarity).toBe(0);
    expect(termsFor(limits, 'who bought roles').searchTerms).toContain(limits.analyzer.term('buy'));
    expect(ask(limits, 'whats the longest timeout').results[0]).toMatchObject({ source: 'limits.md', lines: [1, 1] });
  });

  it('is searched as typed when the corpus has that form, or inside a "phrase"', () => {
    const withForm = indexOf({ 'a.md': ['The longest timeout is 28 days.', 'It can be long.'] });
    expect(termsFor(withForm, 'the longest timeout').searchTerms).toContain(withForm.analyzer.term('longest'));
    expect(termsFor(limits, '"longest timeout"').searchTerms).not.toContain(limits.analyzer.term('long'));
  });
});

describe("chat's greetings, thanks and fillers", () => {
  it('are no words asked: "hey guys … pls" searches and judges what "how do i defer a reply" does', () => {
    const withGui = indexOf({ 'gui.md': ['The GUI says hey when it starts, pls wait.'], 'responses.md': ['Call `interaction.deferReply()` to defer the reply.'] });
    const plain = termsFor(withGui, 'how do i defer a reply');
    const chatty = termsFor(withGui, 'hey guys how do i defer a reply pls lol');
    expect(chatty.searchTerms).toEqual(plain.searchTerms);
    expect(ask(withGui, 'hey guys how do i defer a reply pls lol').results[0]!.source).toBe('responses.md');
  });
});

describe('function words that neither the stopword list nor WordNet has', () => {
  it('are no words asked, never names weighed up: "without", "whenever", "everyone"', () => {
    const docs = indexOf({ 'keyv.md': ['Keyv stores prefixes per guild without any SQL.'], 'pm2.md': ['pm2 restarts the bot whenever a file changes, for everyone.'] });
    const terms = termsFor(docs, 'save prefixes without writing sql, whenever everyone asks');
    for (const word of ['without', 'whenever', 'everyone']) expect(terms.searchTerms).not.toContain(word);
    // Nor contractions typed without their apostrophe, in the question or the document ("you're").
    const defer = indexOf({ 'responses.md': ["Defer the reply when you're slow."], 'other.md': ["You're right about roles."] });
    const youre = termsFor(defer, 'youre supposed to defer the reply right, couldnt i');
    expect(youre.searchTerms).toEqual(['supposed', 'defer', 'reply', 'right'].map((word) => defer.analyzer.term(word)));
    expect(ask(defer, 'youre supposed to defer the reply right', { requireRelevance: false }).results[0]!.source).toBe('responses.md');
    // "cannot" stays a word: pasted errors start with it ("Cannot send messages to this user").
    expect(docs.analyzer.term('cannot')).toBe('cannot');
  });

  it('nor are chat\'s interjections and openings, which are never corrected either: "nope" is not "node"', () => {
    const node = indexOf({ 'setup.md': ['Install Node before the bot.'], 'errors.md': ['Missing Access means the bot cannot see the channel.'] });
    const answer = ask(node, 'ok so hmm nope still getting missing access', { requireRelevance: false });
    expect(answer.corrected).toBeUndefined();
    expect(answer.terms).toEqual(['getting', 'missing', 'access'].map((word) => node.analyzer.term(word)));
    // "cannot" is an English word WordNet lacks: weighed as asked, never as a name.
    const cannot = termsFor(node, 'bot cannot see the channel');
    expect(cannot.english.has('cannot')).toBe(true);
    expect(cannot.termFrequency.get('cannot')).toBe(1);
  });

  it('are no words asked either when they carry no topic ("whereas", "she", "yours"); the prepositions that do ("per", "via") are English words, weighed as asked', () => {
    const docs = indexOf({ 'keyv.md': ['Keyv stores prefixes per guild, whereas she keeps yours.'], 'other.md': ['Roles sort members.'] });
    const terms = termsFor(docs, 'prefixes per guild whereas she keeps yours via webhook');
    for (const word of ['whereas', 'she', 'yours']) expect(terms.searchTerms).not.toContain(word);
    for (const word of ['per', 'via']) expect(terms.english.has(docs.analyzer.term(word))).toBe(true);
    expect(terms.termFrequency.get(docs.analyzer.term('per'))).toBe(1); // a name would weigh nameWeight ×
  });
});

describe('two words the corpus writes as one', () => {
  it('meet the corpus word: "time out" finds "timeout", "log in" finds "login"', () => {
    expect(ask(docs, 'how to time out a member', { requireRelevance: false }).results[0]!.source).toBe('members.md');
    const login = ask(docs, 'how does my bot log in', { requireRelevance: false }).results[0]!;
    expect(login.quote).toMatch(/login/);
  });

  it('meet it across one word between a verb and its particle: "time someone out", "log it in"', () => {
    expect(ask(docs, 'how do i time someone out', { requireRelevance: false }).results[0]!.source).toBe('members.md');
    expect(termsFor(docs, 'how does my bot log it in').joined.has('login')).toBe(true);
    // Only a particle closes a gap of one word: "set members up" is not "setup" of "set members token".
    expect([...termsFor(docs, 'set members up').joined.keys()]).toEqual(['setup']);
    expect(termsFor(docs, 'set members token').joined.size).toBe(0);
  });

  it('meet a method name across the article or pronoun between a verb and its object: "defer a reply" finds `deferReply`', () => {
    const guide = indexOf({
      'responses.md': ['Deferred responses: call `interaction.deferReply()` when your command needs more than three seconds.'],
      'errors.md': ['if (interaction.deferred) await interaction.followUp(msg); else await interaction.reply(msg);'],
      'replies.md': ['A reply quotes the message it answers.'],
    });
    const terms = termsFor(guide, 'how do i defer a reply');
    const deferReply = guide.analyzer.term('deferreply');
    expect(terms.joined.get(deferReply)).toEqual(['defer', 'reply'].map((word) => guide.analyzer.term(word)));
    expect(terms.termFrequency.get(deferReply)).toBe(JOINED_WEIGHT);
    expect(ask(guide, 'how do i defer a reply', { requireRelevance: false }).results[0]!.source).toBe('responses.md');
    expect(termsFor(guide, 'how do i defer my reply').joined.has(deferReply)).toBe(true);
    // Only an article or pronoun closes the gap: "defer every reply" is; "defer slow reply" is not.
    expect(termsFor(guide, 'defer slow reply').joined.size).toBe(0);
  });

  it('never join a pronoun or article to its noun: "my logs" is not the corpus\'s `mylogs`', () => {
    const cli = indexOf({ 'a.md': ['Run `pino-couch -d mylogs` to store them.', 'Open the signup page, then the login form.'] });
    const joined = (question: string) => [...termsFor(cli, question).joined.keys()];
    expect(joined('how do i hide passwords in my logs')).toEqual([]);
    // A particle still joins either side of its verb.
    expect(joined('where do i sign up and log in')).toEqual(['signup', 'login'].map((word) => cli.analyzer.term(word)));
  });

  it('weigh less than the words asked, which they stand for: "error code" is not counted twice', () => {
    const sdk = indexOf({ 'unity.md': ['Log `result.ErrorCode` when a call fails.'], 'codes.md': ['Error code 50013: you lack permissions.'] });
    const { termFrequency } = termsFor(sdk, 'what does error code 50013 mean');
    expect(termFrequency.get(sdk.analyzer.term('errorcode'))).toBe(JOINED_WEIGHT);
    expect(JOINED_WEIGHT).toBeLessThan(termFrequency.get(sdk.analyzer.term('error'))!);
  });

  it('stand for the two words when judging an answer, never beside them', () => {
    const terms = termsFor(docs, 'how do i set up a postgres replica');
    const set = docs.analyzer.term('set');
    expect(terms.joined.get('setup')).toEqual([set]);
    // "setup" is the question's "set up": a passage with both matched one word of three.
    const judged = answerJudge(docs, terms)([set, 'setup']);
    expect(judged.matchedShare).toBeCloseTo(1 / 3, 9);
    expect(judged).toEqual(answerJudge(docs, terms)(['setup']));
    expect(ask(docs, 'how do i set up a postgres replica').answered).toBe(false);
    expect(ask(docs, 'how does my bot log in with its token').answered).toBe(true);
  });
});

describe('names and jargon', () => {
  it('that the corpus has weigh nameWeight × their IDF; English words, and names it lacks, weigh as asked', () => {
    const { termFrequency, english } = termsFor(docs, 'why does deferReply need a member zorblax');
    const [defer, member, zorblax] = ['deferReply', 'member', 'zorblax'].map((word) => docs.analyzer.term(word));
    expect(english.has(member!)).toBe(true);
    expect(Object.fromEntries([defer, member, zorblax].map((term) => [term, termFrequency.get(term!)]))).toEqual({ [defer!]: docs.ranking.nameWeight, [member!]: 1, [zorblax!]: 1 });
    expect(docs.ranking.nameWeight).toBeGreaterThan(1);
    const flat = new VerbatimIndex({ ranking: { ...docs.ranking, nameWeight: 1 } });
    flat.apply([{ source: 'a.md', size: 1, mtimeMs: 0, sha256: 'a', title: 'a', chunks: [{ text: 'Call deferReply first.', lines: [1, 1] }] }], []);
    expect(termsFor(flat, 'deferReply').termFrequency.get(defer!)).toBe(1);
  });
});

describe('everyday English words', () => {
  it('weigh less than rare ones the corpus has as often (rarityWeight): "poll stay" is about polls', () => {
    // One word apart, so that the two passages are alike but for it.
    const files = { 'a.md': ['Members can stay in a voice channel.'], 'b.md': ['Members can poll in a voice channel.'] };
    const withRarity = indexOf(files);
    const poll = withRarity.analyzer.term('poll')!;
    const stay = withRarity.analyzer.term('stay')!;
    expect(withRarity.documentFrequency(poll)).toBe(withRarity.documentFrequency(stay));
    expect(rarityFactor(withRarity, poll)).toBeGreaterThan(1);
    expect(rarityFactor(withRarity, stay)).toBeLessThan(1);
    const { termFrequency } = searchTermsFor(withRarity, parseQuery('poll stay', withRarity.analyzer));
    expect(termFrequency.get(poll)! / termFrequency.get(stay)!).toBeCloseTo(rarityFactor(withRarity, poll) / rarityFactor(withRarity, stay), 9);
    const scores = (index: VerbatimIndex) => ask(index, 'poll stay', { requireRelevance: false }).results.map((result) => [result.source, result.score] as const);
    expect(scores(withRarity)[0]![0]).toBe('b.md');
    expect(scores(withRarity)[0]![1]).toBeGreaterThan(scores(withRarity)[1]![1]);
    // Without it the two are one word each of the same IDF in passages of the same length: a tie.
    const flat = indexOf(files, { ...withRarity.ranking, rarityWeight: 0 });
    const [first, second] = scores(flat);
    expect(first![1]).toBe(second![1]);
    expect(rarityFactor(flat, poll)).toBe(1);
  });
});

describe('change logs', () => {
  it('are known by their file names, and count less, re-sorted with ties in order', () => {
    const logs = ['CHANGELOG.md', 'developers/change-log.mdx', 'additional-info/changes-in-v14.md', 'docs/upgrading-to-v5.md', 'HISTORY.md', 'release-notes.txt', 'guide/migrating-from-v1.mdx'];
    const pages = ['docs/changing-the-prefix.md', 'guide/updates.md', 'db/migrations.md', 'messages/updating-a-message.md', 'docs/exchanges.md'];
    expect(logs.filter(isChangeLog)).toEqual(logs);
    expect(pages.filter(isChangeLog)).toEqual([]);
    const hit = (source: string, score: number) => ({ source, score, passage: { source } });
    const demoted = demoteChangeLogs([hit('CHANGELOG.md', 10), hit('a.md', 5), hit('b.md', 3)], 0.4);
    expect(demoted.map((h) => [h.passage.source, h.score])).toEqual([['a.md', 5], ['CHANGELOG.md', 4], ['b.md', 3]]);
    expect(demoteChangeLogs([hit('CHANGELOG.md', 10), hit('a.md', 5)], 1).map((h) => h.score)).toEqual([10, 5]);
  });

  it('count less in ask from the reindex that adds one', () => {
    const docs = indexOf({ 'webhooks.md': ['Check `message.webhookId` to skip messages a webhook sent.', 'Webhooks send messages to channels.'], 'other.md': ['Roles group permissions.'] });
    const question = 'ignore messages posted by a webhook';
    expect(ask(docs, question, { requireRelevance: false }).results[0]!.source).toBe('webhooks.md');
    const log = 'Added the `threadName` option: a webhook can create a post in a forum channel.';
    docs.apply([{ source: 'CHANGELOG.md', size: 1, mtimeMs: 0, sha256: 'log', title: 'Changelog', chunks: [{ text: log, lines: [1, 1] }] }], []);
    // BM25 alone ranks the change log's line first ("post" is rarer than "messages")…
    expect(docs.search({ terms: docs.analyzer.terms(question), limit: 1 })[0]!.passage.source).toBe('CHANGELOG.md');
    // …ask, from this generation on, the page about it; unless the question is about a change.
    expect(ask(docs, question, { requireRelevance: false }).results[0]!.source).toBe('webhooks.md');
    expect(ask(docs, `${question} since the update`, { requireRelevance: false }).results[0]!.source).toBe('CHANGELOG.md');
  });

  it('keep their weight for a question about a change: an update, a rename, a version', () => {
    expect(asksAboutChange(['what', 'replaces', 'isText', 'after', 'updating'])).toBe(true);
    expect(asksAboutChange(['what', 'was', 'renamed'])).toBe(true);
    expect(asksAboutChange(['embeds', 'in', 'v14'])).toBe(true);
    expect(asksAboutChange(['how', 'do', 'i', 'change', 'the', 'prefix', 'v'])).toBe(false);
  });
});

describe('evidence from the rest of the file', () => {
  const hit = (source: string, score: number) => ({ score, passage: { source } });

  it('ranks a document that answers in two places over one slightly better passage, when whole documents are ranked', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    const corpus = indexDataset([
      // One passage, a little shorter (so a little better) than each of the other file's two.
      { id: 'lucky', title: '', text: `Heron nests line the marsh. ${filler(30)}` },
      { id: 'steady', title: '', text: `Heron nests crowd the reeds. ${filler(36)}\n\nHeron nests again, near the water. ${filler(36)}` },
      ...Array.from({ length: 6 }, (_, i) => ({ id: `other${i}`, title: '', text: `Other text ${i} about ${filler(10)}.` })),
    ]);
    const ranking = { ...DEFAULT_RANKING, feedbackWeight: 0, documentFileWeight: 0 };
    expect(rankDocuments(corpus, 'heron nests', 2, { ...ranking, documentWeight: 0 })).toEqual(['lucky', 'steady']);
    expect(rankDocuments(corpus, 'heron nests', 2, ranking)).toEqual(['steady', 'lucky']);
  });

  it('cuts every page of results from one order', () => {
    const question = 'member bot channel voice';
    const all = ask(docs, question, { requireRelevance: false, top: 6 }).results.map((r) => r.passageId);
    const paged = [0, 2, 4].flatMap((offset) => ask(docs, question, { requireRelevance: false, top: 2, offset }).results.map((r) => r.passageId));
    expect(paged).toEqual(all);
  });

  it('lifts a passage of the file that is about the question over a slightly better one elsewhere', () => {
    const hits = [hit('lucky.md', 10), hit('about.md', 9), hit('other.md', 8)];
    const fileScores = (sources: string[]) => sources.map((source) => ({ 'lucky.md': 1, 'about.md': 6, 'other.md': 2 })[source]!);
    // 9/10 + 2·6/6 = 2.9, then 8/10 + 2·2/6 = 1.47 and 10/10 + 2·1/6 = 1.33.
    expect(rerankByFile(hits, fileScores, 2).map((h) => h.passage.source)).toEqual(['about.md', 'other.md', 'lucky.md']);
    expect(rerankByFile(hits, fileScores, 0)).toEqual(hits);
    const many = Array.from({ length: DOCUMENT_POOL + 5 }, (_, i) => hit(`f${i}.md`, 100 - i));
    const reranked = rerankByFile(many, (sources) => sources.map((source) => Number(source.slice(1, -3))), 2);
    expect(reranked.slice(0, DOCUMENT_POOL).map((h) => h.passage.source)).toEqual(many.slice(0, DOCUMENT_POOL).map((h) => h.passage.source).reverse());
    expect(reranked.slice(DOCUMENT_POOL)).toEqual(many.slice(DOCUMENT_POOL));
  });
});
