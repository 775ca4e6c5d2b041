/**
 * The kind of answer a question asks for, when it is one a passage can be seen to lack: "How
 * old is Dmitry Peskov?" asks for an age, "how much did the troll farm spend" for a sum of
 * money, "how many electoral votes…" for a count. A passage that matches the question's names
 * but has no age, sum or count in it does not answer it, however well it matches (TREC QA's
 * answer types, narrowed to those that a plain reading of a passage, without a tagger, can
 * tell are there).
 *
 * A count ("how many") is a number that is not a year, in digits or words ("a single output",
 * "no limit"). The forms are lenient: the check is there to refuse a passage with no such
 * thing in it, never to pick between two that have one. "When" and "what year" are left out:
 * a date or a year is in most passages of news and documentation (README "Quality").
 */

export type AnswerType = 'age' | 'money' | 'count';

/** Words that make "how much" a question about money: "how much did X cost / spend / pay". */
const MONEY_WORDS: ReadonlySet<string> = new Set([
  'money', 'cash', 'cost', 'costs', 'costed', 'spend', 'spends', 'spent', 'spending', 'pay', 'pays', 'paid', 'paying',
  'price', 'priced', 'worth', 'earn', 'earns', 'earned', 'budget', 'bid', 'fee', 'fees', 'salary', 'revenue', 'funding', 'charge', 'charged', 'fine', 'fined',
  'dollars', 'dollar', 'usd', 'euros', 'rubles', 'roubles', 'pounds',
]);

/**
 * The answer type of a question from its normalized words in order (`SearchTerms.words`):
 * "how old" / "what age" → age; "how much" with a word of money, or "how expensive" → money;
 * "how many" → count.
 */
export function expectedAnswerType(words: readonly string[]): AnswerType | undefined {
  for (let i = 0; i + 1 < words.length; i++) {
    const [first, second] = [words[i], words[i + 1]];
    if (first === 'how' && second === 'old') return 'age';
    if ((first === 'what' || first === 'which') && second === 'age') return 'age';
    if (first === 'how' && second === 'expensive') return 'money';
    if (first === 'how' && second === 'many') return 'count';
    if (first === 'how' && second === 'much' && words.slice(i + 2).some((word) => MONEY_WORDS.has(word))) return 'money';
  }
  return undefined;
}

// Each a plain alternation of literal words around single character classes: linear on any text.
const AGE = /\b\d{1,3}[- ](?:years?|months?|weeks?|days?|hours?|minutes?)[- ]old\b|\bolder than\b|\b[a-z]+-year-old\b|\baged? \d{1,3}\b|\bages?\b|\b\d{1,3}\+|\b\d{1,3} or older\b|\bunder \d{1,3}\b|\bborn\b|\bbirthday\b/i;
const AGE_NAME_COMMA = /\b[A-Z][a-z]+, \d{2}, /; // Associated Press style: "Peskov, 56, said"
const MONEY = /[$€£¥₹]\s?\d|\d\s?(?:yen|yuan|usd|eur|gbp|cents?)\b|\b(?:dollars?|euros?|rubles?|roubles?|rupees?|francs?)\b|\bpric(?:e|es|ing)\b|\b(?:is|are|completely|entirely) free\b|\bfree (?:tier|plan|to use|of charge)\b|\bfor free\b|\bcosts? nothing\b|\bno cost\b/i;

const NUMBER_WORDS = /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|single|once|twice|both|none|unlimited|no limit)\b/i;
const DIGITS = /\d+(?:[.,]\d+)*/g;
const YEAR = /^(?:1[5-9]|20)\d\d$/;

/** What an answer of each type is called, for "the passages that match give no …". */
const ANSWER_TYPE_NAMES: Readonly<Record<AnswerType, string>> = { age: 'age', money: 'sum of money', count: 'number' };

/**
 * The sentence that tells why a question was refused when the passages that match it lack the
 * answer it asks for: "The passages that match your question give no age."
 */
export function lackingLine(type: AnswerType | undefined): string | undefined {
  return type === undefined ? undefined : `The passages that match your question give no ${ANSWER_TYPE_NAMES[type]}.`;
}

/** Whether `text` has an answer of `type` in it. */
export function hasAnswerOfType(text: string, type: AnswerType): boolean {
  if (type === 'age') return AGE.test(text) || AGE_NAME_COMMA.test(text);
  if (type === 'money') return MONEY.test(text);
  if (NUMBER_WORDS.test(text)) return true;
  for (const [number] of text.matchAll(DIGITS)) if (!YEAR.test(number)) return true;
  return false;
}
