import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/core/analyzer.ts';
import { rerankWithFeedback, type FeedbackIndex } from '../../src/core/feedback.ts';
import { DOCUMENT_POOL } from '../../src/core/options.ts';
import { DEFAULT_RANKING } from '../../src/core/ranking.ts';

const analyzer = new Analyzer();
const feedbackIndex = (feedbackWeight: number): FeedbackIndex => ({
  analyzer,
  idf: () => 1,
  averagePassageLength: 8,
  ranking: { ...DEFAULT_RANKING, feedbackWeight },
});
const hit = (id: string, score: number, text: string) => ({ id, score, passage: { text } });
const asked = new Set(analyzer.terms('bot offline'));

describe('pseudo-relevance feedback', () => {
  // Three of the best passages talk about hosting; the second best only repeats the question.
  const hits = [
    hit('host-a', 10, 'Keep the bot online: host the process on a server with pm2 so it restarts.'),
    hit('echo', 9.9, 'My bot is offline, is your bot offline too?'),
    hit('host-b', 9.8, 'A server and pm2 keep the process running; pm2 restarts it after a crash.'),
    hit('host-c', 9.7, 'Hosting on a server: pm2 restarts the process.'),
    hit('tail', 1, 'Unrelated words about embeds and colours.'),
  ];

  it('lifts passages that share the words of the best ones over one that only repeats the question', () => {
    const order = rerankWithFeedback(feedbackIndex(0.3), hits, asked).map((h) => h.id);
    expect(order.indexOf('echo')).toBeGreaterThan(order.indexOf('host-b'));
    expect(order.indexOf('echo')).toBeGreaterThan(order.indexOf('host-c'));
    expect(order[0]).toBe('host-a');
  });

  it('changes nothing when its weight is 0, and keeps every hit once', () => {
    expect(rerankWithFeedback(feedbackIndex(0), hits, asked)).toEqual(hits);
    const reranked = rerankWithFeedback(feedbackIndex(0.3), hits, asked);
    expect(new Set(reranked.map((h) => h.id))).toEqual(new Set(hits.map((h) => h.id)));
    for (const h of reranked) expect(h.score).toBeGreaterThanOrEqual(hits.find((x) => x.id === h.id)!.score);
  });

  it('counts a passage repeated on two pages once: copies of a snippet do not lift each other', () => {
    const snippet = (page: string) => `catch (error) { console.error(error); await interaction.followUp({ content: 'There was an error while executing this command!', flags: MessageFlags.Ephemeral }); } // ${page}`;
    const pool = [
      hit('guide', 10, 'Ephemeral responses hide a message from everyone but the executor of the slash command.'),
      hit('copy-a', 9.9, snippet('events')),
      hit('copy-b', 9.9, snippet('commands')),
      hit('guide-more', 9.5, 'Set the ephemeral flag so that only the executor sees the slash command response message.'),
      hit('other', 9, 'Buttons send an interaction when a member clicks them.'),
    ];
    const order = rerankWithFeedback(feedbackIndex(0.3), pool, new Set(analyzer.terms('ephemeral reply'))).map((h) => h.id);
    expect(order[0]).toBe('guide');
  });

  it('reorders only the first DOCUMENT_POOL hits, so every page is cut from one order', () => {
    const many = Array.from({ length: DOCUMENT_POOL + 4 }, (_, i) => hit(`p${i}`, 100 - i, i % 2 ? 'pm2 server process' : 'bot offline'));
    expect(rerankWithFeedback(feedbackIndex(0.3), many, asked).slice(DOCUMENT_POOL)).toEqual(many.slice(DOCUMENT_POOL));
  });
});
