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

  it('reorders only the first DOCUMENT_POOL hits, so every page is cut from one order', () => {
    const many = Array.from({ length: DOCUMENT_POOL + 4 }, (_, i) => hit(`p${i}`, 100 - i, i % 2 ? 'pm2 server process' : 'bot offline'));
    expect(rerankWithFeedback(feedbackIndex(0.3), many, asked).slice(DOCUMENT_POOL)).toEqual(many.slice(DOCUMENT_POOL));
  });
});
