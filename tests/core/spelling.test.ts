/**
 * Typo tolerance (`src/core/spelling.ts`): a question word the corpus lacks and English lacks is
 * searched as the closest corpus word, and every surface says so. Checked on the typo'd
 * questions of the paraphrase set (tests/fixtures/paraphrase-questions.json): each must get
 * the same top file as the question spelt right.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerJson } from '../../src/cli/ask.ts';
import { ask } from '../../src/core/answer.ts';
import { renderAnswer } from '../../src/discord/render/answer.ts';
import { openIndex } from '../../src/library/indexer.ts';
import { renderAnswerText } from '../../src/terminal/render.ts';
import { VerbatimIndex } from '../../src/engine/verbatim-index.ts';
import { isEnglishWord } from '../../src/core/lexicon.ts';
import { editDistance, maxEdits } from '../../src/core/spelling.ts';
import { corpusCopy, fileRecord, indexOf } from '../helpers.ts';

interface TypoQuestion {
  question: string;
  clean: string;
  file: string;
}
const PARAPHRASES = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/paraphrase-questions.json'), 'utf8')) as { typos: TypoQuestion[] };

let index: VerbatimIndex;
beforeAll(async () => {
  index = (await openIndex(corpusCopy())).index;
});

describe('edit distance', () => {
  it('counts a wrong, missing, added letter or a swap of two as one edit', () => {
    expect(editDistance('kremlin', 'kremln', 2)).toBe(1);
    expect(editDistance('kremlin', 'kremiln', 2)).toBe(1);
    expect(editDistance('kremlin', 'krenlin', 2)).toBe(1);
    expect(editDistance('kremlin', 'kremlinn', 2)).toBe(1);
    expect(editDistance('goldman', 'goldman', 2)).toBe(0);
    expect(editDistance('prigozhin', 'prigzoin', 2)).toBe(2);
    // Past the limit it stops early and says limit + 1.
    expect(editDistance('kremlin', 'washington', 2)).toBe(3);
    expect(editDistance('ab', 'abcdef', 1)).toBe(2);
  });

  it('allows none below four letters, one up to seven, two from eight', () => {
    expect([3, 4, 7, 8, 20].map(maxEdits)).toEqual([0, 1, 1, 2, 2]);
  });
});

describe('the English lexicon', () => {
  it('knows lemmas and their inflections, not misspellings or names', () => {
    for (const word of ['cook', 'hacked', 'ounces', 'swapping', 'bigger', 'studies', 'world']) expect(isEnglishWord(word), word).toBe(true);
    for (const word of ['kremln', 'russain', 'nuaert', 'bmob', 'hilary']) expect(isEnglishWord(word), word).toBe(false);
  });

  it('knows irregular forms, from WordNet’s exception lists', () => {
    for (const word of ['bought', 'gave', 'carried', 'told', 'mice', 'children', 'better', 'worst']) expect(isEnglishWord(word), word).toBe(true);
  });
});

describe('corrected questions', () => {
  it('each typo’d question of the paraphrase set gets the same top file as the question spelt right', () => {
    expect(PARAPHRASES.typos.length).toBeGreaterThanOrEqual(20);
    let corrected = 0;
    for (const { question, clean } of PARAPHRASES.typos) {
      const typo = ask(index, question, { requireRelevance: false });
      const right = ask(index, clean, { requireRelevance: false });
      expect(typo.results[0]?.source, question).toBe(right.results[0]!.source);
      if (typo.corrected) corrected++;
    }
    // Most of the set needs the correction; the rest is found by its other words.
    expect(corrected).toBeGreaterThanOrEqual(15);
  });

  it('says what it searched for instead: in the answer, the JSON, the terminal and Discord', () => {
    const answer = ask(index, 'what did the kremln say about the charges');
    expect(answer.corrected).toEqual({ kremln: 'kremlin' });
    expect(answer.results.length).toBeGreaterThan(0);
    expect(JSON.parse(answerJson(answer)).corrected).toEqual({ kremln: 'kremlin' });
    expect(renderAnswerText(answer, { color: false })).toMatch(/^Showing results for kremlin \(you typed kremln\)\./);
    expect(renderAnswer(answer).embeds![0]!.description).toMatch(/^Showing results for \*kremlin\* \(you typed kremln\)\./);
  });

  it('leaves alone English words, numbers, short words, contractions and phrases the corpus lacks', () => {
    // "cook" is one letter from "took"; 2019 is close to 2018; "kremln" inside a phrase must match as typed.
    // "whats" is "what's" without its apostrophe: a question word, not a misspelling of "chat".
    // "bought" is one letter from "sought", "mice" from "vice": irregular forms are English too.
    for (const question of ['who is putins cook', 'what happened in 2019', 'what did mlr say', '"kremln spokesman"', 'whats the best sourdough starter', 'who bought the rights', 'do mice get the flu']) {
      expect(ask(index, question, { requireRelevance: false }).corrected, question).toBeUndefined();
    }
    const plain = ask(index, 'what did the kremlin say about the charges');
    expect(plain.corrected).toBeUndefined();
    expect(JSON.parse(answerJson(plain))).not.toHaveProperty('corrected');
    expect(renderAnswerText(plain, { color: false })).not.toMatch(/Showing results/);
  });

  it('finds a swap in the word as typed when stemming hides it: "repyl" is "reply", whose term is repli', () => {
    const chunks = ['Once the bot replied, defer the next reply when a command needs time.', 'The interaction was acknowledged.'];
    const docs = indexOf(fileRecord('a.md', 'a', chunks));
    expect(editDistance(docs.analyzer.term('repyl'), docs.analyzer.term('reply'), 2)).toBe(2);
    const answer = ask(docs, 'how do i defer a repyl', { requireRelevance: false });
    // Shown as the passage's form nearest the typed word, not the first form found.
    expect(answer.corrected).toEqual({ repyl: 'reply' });
    expect(answer.results[0]!.source).toBe('a.md');
  });

  it('finds one edit in the word as typed wherever the stemmer cuts it, and keeps the typed first letter among equals', () => {
    const chunks = ['Commands are registered once, then loaded on start.', 'Use the reload command after you edit one.', 'Suggestions appear as you type.', 'Events load from their own folder.'];
    const docs = indexOf(fileRecord('a.md', 'a', chunks));
    const corrected = (question: string) => ask(docs, question, { requireRelevance: false }).corrected;
    // "rgistered" is `rgister`, two edits from registered's `regist`; "suggcstions" keeps its "ion".
    expect(corrected('which commands are rgistered')).toEqual({ rgistered: 'registered' });
    expect(corrected('how do suggcstions work')).toEqual({ suggcstions: 'suggestions' });
    // "rload" is one edit from "reload" and from "load" (more frequent here): the typed "r" decides.
    expect(corrected('how do i rload a command')).toEqual({ rload: 'reload' });
  });

  it('reaches a stemmed term through an English word only: "adress" is address, not the `ad` of a non-word "adness"', () => {
    const chunks = ['Adding an ad to every page is done by adding a component.', 'Add the component, then add more ads.', 'The request holds the client IP address.'];
    const docs = indexOf(fileRecord('a.md', 'a', chunks));
    // `ad` (adding, add, ads) is more frequent than `address`, and both are one edit away as typed.
    expect(docs.analyzer.term('adness')).toBe(docs.analyzer.term('adding'));
    const answer = ask(docs, 'what is the visitors ip adress', { requireRelevance: false });
    expect(answer.corrected).toEqual({ adress: 'address' });
    expect(answer.results[0]!.lines).toEqual([3, 3]);
    // A non-word still reaches a term as close as the typed one: "wbehook" is one swap from webhook.
    docs.apply([fileRecord('b.md', 'b', ['Create a webhook in the channel settings.'])], []);
    expect(ask(docs, 'how do i make a wbehook', { requireRelevance: false }).corrected).toEqual({ wbehook: 'webhook' });
  });

  it('may correct a word to one the question asks again: "permision" beside "permissions" is permission, not permit', () => {
    const chunks = ['A bot needs the Ban Members permission, and permissions above the member it bans.', 'Permit only what the bot needs.'];
    const docs = indexOf(fileRecord('a.md', 'a', chunks));
    const answer = ask(docs, 'bot has ban permision but gets missing permissions', { requireRelevance: false });
    expect(answer.corrected).toEqual({ permision: 'permission' });
    expect(answer.results[0]!.lines).toEqual([1, 1]);
  });

  it('leaves alone a word that only a heading uses: it is the corpus\'s word, not a typo', () => {
    const docs = new VerbatimIndex();
    const chunks = [
      { text: 'This error is thrown when the process closes unexpectedly: clean the npm cache.', section: 'code ELIFECYCLE' },
      { text: 'Package scripts run lifecycle hooks before and after install.', section: 'Scripts' },
    ];
    docs.apply([fileRecord('errors.md', 'Errors', chunks)], []);
    const answer = ask(docs, 'npm ERR! code ELIFECYCLE', { requireRelevance: false });
    expect(answer.corrected).toBeUndefined();
    expect(answer.results[0]!.lines).toEqual([1, 1]);
  });

  it('searches a word the corpus writes as two as its two words, in the corpus\'s writing, where it does write them side by side', () => {
    const docs = new VerbatimIndex();
    const chunks = [
      { text: 'A component re-renders when its state changes; re-rendering a parent re-renders its children too.', section: 'Rendering' },
      { text: 'Resend the request when the server answers 503.', section: 'Requests' },
      { text: 'Add a health check to the container so the orchestrator restarts it.', section: 'Deploying' },
      { text: 'Plan the release; the ts files are compiled first.', section: 'Releases' },
    ];
    docs.apply([fileRecord('guide.md', 'Guide', chunks)], []);
    // "rerendering" is one letter from "resend": the corpus writes it "re-rendering".
    const rerender = ask(docs, 'why is rerendering slow', { requireRelevance: false });
    expect(rerender.corrected).toEqual({ rerendering: 're-rendering' });
    expect(rerender.results[0]!.lines).toEqual([1, 1]);
    expect(renderAnswerText(rerender, { color: false })).toMatch(/^Showing results for re-rendering \(you typed rerendering\)\./);
    const health = ask(docs, 'where do i add a healthcheck', { requireRelevance: false });
    expect(health.corrected).toEqual({ healthcheck: 'health check' });
    expect(health.results[0]!.lines).toEqual([3, 3]);
    // "plants" is "plan" + "ts" by the dictionary, but the corpus never writes them side by side.
    expect(ask(docs, 'watering plants', { requireRelevance: false }).corrected).toBeUndefined();
    // Inside quotes a word is meant as typed.
    expect(ask(docs, '"healthcheck" endpoint', { requireRelevance: false }).corrected).toBeUndefined();
  });

  it('takes halves as written side by side only where a reader sees them joined, not a link\'s text beside its address', () => {
    const docs = new VerbatimIndex();
    const chunks = [
      { text: 'Every code is listed on the [reference](/error-codes) page.', section: 'Codes' },
      { text: 'A reference error is thrown when a name is used before it is declared.', section: 'Errors' },
    ];
    const apply = (texts: typeof chunks) => docs.apply([fileRecord('errors.md', 'Errors', texts)], []);
    apply(chunks);
    const answer = ask(docs, 'what is a referenceerror', { requireRelevance: false });
    expect(answer.corrected).toEqual({ referenceerror: 'reference error' });
    expect(answer.results[0]!.lines).toEqual([2, 2]);
    apply(chunks.slice(0, 1));
    expect(ask(docs, 'what is a referenceerror', { requireRelevance: false }).corrected).toBeUndefined();
  });

  it('shows the word meant when the passages write only another form of it: "diffrence" is difference, not "differ"', () => {
    const chunks = ['Trait objects differ from objects in other languages: they cannot hold data.', 'Generics are filled in at compile time.'];
    const docs = indexOf(fileRecord('traits.md', 'Traits', chunks));
    const answer = ask(docs, 'whats the diffrence between trait objects and generics', { requireRelevance: false });
    expect(answer.corrected).toEqual({ diffrence: 'difference' });
    // A form the passage writes stays when it is nearer the typed word: "repyl" is reply.
    docs.apply([fileRecord('traits.md', 'Traits', ['The bot will reply to every command.'])], []);
    expect(ask(docs, 'how does the bot repyl', { requireRelevance: false }).corrected).toEqual({ repyl: 'reply' });
  });

  it('weighs a corrected word below a typed one', () => {
    const typo = ask(index, 'kremln spokesman', { requireRelevance: false });
    const right = ask(index, 'kremlin spokesman', { requireRelevance: false });
    expect(typo.results[0]!.passageId).toBe(right.results[0]!.passageId);
    expect(typo.results[0]!.score).toBeLessThan(right.results[0]!.score);
  });
});
