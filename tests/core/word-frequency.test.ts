/** General-English rarity (`src/core/word-frequency.ts`): SUBTLEX-US counts per analyzer term. */
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/core/analyzer.ts';
import { englishRarity, loadWordFrequencies } from '../../src/core/word-frequency.ts';

describe('englishRarity', () => {
  const analyzer = new Analyzer();
  const rarity = (word: string) => englishRarity(analyzer, analyzer.term(word));

  it('orders words from everyday to never said, between 0 and 1', () => {
    const ordered = ['think', 'state', 'chef', 'envoy', 'sourdough', 'zqxvbnm'].map(rarity);
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]!).toBeGreaterThan(ordered[i - 1]!);
    expect(ordered[0]!).toBeGreaterThan(0);
    expect(ordered.at(-1)).toBe(1);
  });

  it('counts the forms of a word as its one term', () => {
    // "cooks" and "cooking" are counted under `cook`, so each form reads the pooled count.
    expect(rarity('cooking')).toBe(rarity('cook'));
    expect(rarity('cooks')).toBe(rarity('cook'));
    expect(rarity('cook')).toBeLessThan(englishRarity(new Analyzer({ stem: false }), 'cook'));
  });

  it('built ahead in steps, gives what it gives when built on first need', async () => {
    const stepped = new Analyzer({ stopwords: new Set(['the']) });
    await loadWordFrequencies(stepped);
    const onNeed = new Analyzer({ stopwords: new Set(['the']) });
    for (const word of ['think', 'envoy', 'putin', 'announcement']) expect(englishRarity(stepped, stepped.term(word))).toBe(englishRarity(onNeed, onNeed.term(word)));
  });
});
