import { describe, expect, it } from 'vitest';
import { parseQrels } from '../../src/eval/beir.ts';
import { evaluateRun, mrrAt, ndcgAt, recallAt } from '../../src/eval/metrics.ts';
import { evaluate, indexDataset } from '../../src/eval/evaluate.ts';

describe('retrieval metrics on a hand-computed example', () => {
  // Relevant: a (grade 1), c (grade 1). Ranking: b, a, d, c.
  const judged = new Map([['a', 1], ['c', 1], ['x', 0]]);
  const ranking = ['b', 'a', 'd', 'c'];

  it('nDCG@10', () => {
    // DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068 = 1.06161; IDCG = 1 + 1/log2(3) = 1.63093
    expect(ndcgAt(ranking, judged, 10)).toBeCloseTo(1.06161 / 1.63093, 4);
    // Cut at 2: DCG = 0.63093
    expect(ndcgAt(ranking, judged, 2)).toBeCloseTo(0.63093 / 1.63093, 4);
  });

  it('Recall@k and MRR@k', () => {
    expect(recallAt(ranking, judged, 100)).toBe(1);
    expect(recallAt(ranking, judged, 2)).toBe(0.5);
    expect(mrrAt(ranking, judged, 10)).toBe(0.5);
    expect(mrrAt(['z'], judged, 10)).toBe(0);
  });

  it('uses graded gains', () => {
    const graded = new Map([['a', 2], ['b', 1]]);
    // DCG for [b, a] = 1 + 2/log2(3); IDCG for [a, b] = 2 + 1/log2(3)
    expect(ndcgAt(['b', 'a'], graded, 10)).toBeCloseTo((1 + 2 / Math.log2(3)) / (2 + 1 / Math.log2(3)), 6);
  });

  it('averages over judged queries, counting missing runs as 0', () => {
    const qrels = parseQrels('query-id\tcorpus-id\tscore\nq1\ta\t1\nq2\tb\t1\n');
    const metrics = evaluateRun(new Map([['q1', ['a']]]), qrels);
    expect(metrics.queries).toBe(2);
    expect(metrics['ndcg@10']).toBe(0.5);
    expect(metrics['recall@100']).toBe(0.5);
    expect(metrics['mrr@10']).toBe(0.5);
  });
});

describe('answered rates of an evaluation', () => {
  it('count the queries ask answers, and those answered with a relevant document in the top 3', () => {
    const documents = [
      { id: 'owls', title: 'Owls', text: 'Barn owls hunt voles at night over the meadows of Wexcombe.' },
      { id: 'herons', title: 'Herons', text: 'The grey heron waits motionless in the shallows of the Lenbrook.' },
      { id: 'kites', title: 'Kites', text: 'Red kites circle above the valley looking for carrion.' },
    ];
    const dataset = {
      name: 'birds',
      documents,
      queries: [
        { id: 'q1', text: 'where do barn owls hunt voles' },
        { id: 'q2', text: 'where does the grey heron wait' },
        { id: 'q3', text: 'best lasagna recipe with ricotta' },
      ],
      // q2 is judged against the wrong document: answered, but not correctly.
      qrels: new Map([['q1', new Map([['owls', 1]])], ['q2', new Map([['kites', 1]])], ['q3', new Map([['owls', 1]])]]),
    };
    const result = evaluate(dataset, 'test', indexDataset(documents));
    expect(result.answeredRate).toBeCloseTo(2 / 3);
    expect(result.answeredCorrectRate).toBeCloseTo(1 / 3);
  });
});
