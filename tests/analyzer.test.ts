import { describe, expect, it } from 'vitest';
import { Analyzer, normalizeWord } from '../src/analyzer.ts';

const analyzer = new Analyzer();

describe('Analyzer', () => {
  it('drops possessives, stopwords and stems', () => {
    expect(analyzer.terms("Who is Putin's chef?")).toEqual(['putin', 'chef']);
    expect(analyzer.terms('elections interfering')).toEqual(['elect', 'interf']);
  });

  it('treats non-breaking spaces as spaces', () => {
    expect(analyzer.terms('Facebook\u00a0occurred\u00a0after')).toEqual(analyzer.terms('Facebook occurred after'));
  });

  it('folds case and diacritics', () => {
    expect(normalizeWord('Chargé')).toBe('charge');
    expect(analyzer.terms('CHARGÉ')).toEqual(analyzer.terms('charge'));
  });

  it('matches stripped apostrophes and curly apostrophes', () => {
    expect(analyzer.terms('can’t')).toEqual(analyzer.terms('cant'));
    expect(analyzer.terms('Moscow’s')).toEqual(analyzer.terms("Moscow's"));
    expect(analyzer.terms('Facebooks')).toEqual(analyzer.terms("Facebook's"));
  });

  it('keeps numbers and joins dotted acronyms', () => {
    expect(analyzer.terms('In 2016 the U.S. said')).toEqual(['2016', 'us']);
    expect(analyzer.terms('U.S.')).toEqual(analyzer.terms('US'));
  });

  it('gives token offsets into the original text', () => {
    const text = 'The Kremlin’s denial';
    const tokens = analyzer.tokens(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(['Kremlin’s', 'denial']);
  });

  it('returns nothing for punctuation and stopwords only', () => {
    expect(analyzer.terms('?!? … —')).toEqual([]);
    expect(analyzer.terms('what is the')).toEqual([]);
  });

  it('keeps a word whole across zero-width and invisible characters, and matches NFD input', () => {
    const plain = analyzer.terms('Prigozhin international');
    for (const odd of [
      'Prigo\u200bzhin inter\u00adnational', // zero-width space, soft hyphen
      'Prigo\u200dzhin inter\u2060national', // zero-width joiner, word joiner
      '\ufeffPrigozhin international\u200b', // BOM and trailing zero-width space
      'Prigo\u0301zhin internationa\u0300l', // combining marks inside the word
    ]) {
      expect(analyzer.terms(odd), JSON.stringify(odd)).toEqual(plain);
    }
    // The same word in NFC and NFD, and in compatibility forms (full-width letters, ligatures).
    expect(analyzer.terms('Prigózhin'.normalize('NFD'))).toEqual(analyzer.terms('Prigózhin'.normalize('NFC')));
    expect(analyzer.terms('Prigózhin'.normalize('NFD'))).toEqual(['prigozhin']);
    expect(analyzer.terms('ｐｕｔｉｎ ﬁle')).toEqual(analyzer.terms('putin file'));
  });

  it('gives token offsets that cover the invisible characters inside a word', () => {
    const text = 'the Prigo\u200bzhin file';
    const tokens = analyzer.tokens(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(['Prigo\u200bzhin', 'file']);
  });
});
