/**
 * Ranking parameters. Chosen on SciFact **train** and SQuAD2-dev-subset only (see
 * `npm run eval` and README "Quality"); SciFact test and Cranfield are for reporting.
 */
import { DOCUMENT_POOL } from './options.ts';

export interface RankingOptions {
  /** BM25 term-frequency saturation. Example: `0.9` (Lucene/Anserini default). */
  k1: number;
  /** BM25 length normalization, 0–1. Example: `0.4`. */
  b: number;
  /** BM25+ lower bound for a matching term, 0 for classic BM25. Example: `0.5`. */
  d: number;
  /** Weight of a match in the document title relative to the passage text. Example: `2`. */
  titleBoost: number;
  /**
   * Coordination: each score is multiplied by (matched share of the question's IDF
   * weight)^coverageExponent, so passages that match more of the question rank higher.
   * 0 turns it off. Example: `1`.
   */
  coverageExponent: number;
  /**
   * Evidence from the rest of the document when whole documents are ranked (the evaluation,
   * `rankDocuments`): a document scores its best passage plus this share of its second best's,
   * so one that answers in several places outranks one lucky passage. (`ask` weighs a file's
   * other passages through its whole-file BM25, `fileWeight`.) 0 turns it off. Example: `0.5`.
   */
  documentWeight: number;
  /**
   * Pseudo-relevance feedback: how much the words the best `DOCUMENT_POOL` passages share
   * count when they are reordered (`rerankWithFeedback`, `feedback.ts`). 0 turns it off.
   * Example: `0.3`.
   */
  feedbackWeight: number;
  /**
   * Whole-file BM25 (`VerbatimIndex.fileScores`) in `ask`: among the best `DOCUMENT_POOL`
   * hits, each one's score relative to the best gains this × its file's BM25 relative to the
   * best of their files (`rerankByFile`), so a passage of the file that is about the
   * question outranks a slightly better one elsewhere: a passage and its page count alike.
   * 0 turns it off. Example: `1`.
   */
  fileWeight: number;
  /**
   * The same when whole documents are ranked (the evaluation, as Lucene ranks BEIR): each
   * document's passage score relative to the best gains this × its BM25 relative to the
   * best. Example: `2`.
   */
  documentFileWeight: number;
  /** In a file's BM25, how many times its title counts beside its text. Example: `2`. */
  fileTitleWeight: number;
  /**
   * A question word that is not English — a name, an identifier, jargon (`Peskov`,
   * `DisallowedIntents`) — and that the corpus has, weighs this × as much as its IDF says:
   * IDF counts how many passages share a word, not how specific the word is, and a name
   * asked for is the question's subject. 1 turns it off. Example: `1.5`.
   */
  nameWeight: number;
  /**
   * Question words weighed by how rare they are in general English (`word-frequency.ts`): a
   * term the corpus has × exp(rarityWeight × (rarity − 0.5)). A documentation site's IDF
   * calls "stay" (in 21 passages) more telling than "poll" (in 67); English knows better, and
   * "how long can a poll stay open" is about polls. 0 turns it off. Example: `0.5`.
   */
  rarityWeight: number;
}

export const DEFAULT_RANKING: Readonly<RankingOptions> = Object.freeze({
  k1: 1.2,
  b: 0.6,
  d: 0,
  titleBoost: 0.5,
  coverageExponent: 2,
  documentWeight: 0.5,
  feedbackWeight: 0.3,
  fileWeight: 1,
  documentFileWeight: 2,
  fileTitleWeight: 2,
  nameWeight: 1.5,
  rarityWeight: 0.5,
});


interface Scored {
  score: number;
  passage: { source: string };
}

/**
 * Hits of change logs and migration guides (`isChangeLog`) scored `weight` × as much and the
 * list re-sorted, ties in their order. Such a page mentions every feature once more, in a line
 * about what changed ("Added `Webhook#applicationId`"); a question about how a thing works is
 * answered by the thing's own page. `ask` leaves them alone for a question about a change
 * (`asksAboutChange`).
 */
export function demoteChangeLogs<T extends Scored>(hits: readonly T[], weight: number): T[] {
  if (weight >= 1 || !hits.some((hit) => isChangeLog(hit.passage.source))) return [...hits];
  return hits
    .map((hit, rank) => ({ hit: isChangeLog(hit.passage.source) ? { ...hit, score: hit.score * weight } : hit, rank }))
    .sort((a, b) => b.hit.score - a.hit.score || a.rank - b.rank)
    .map(({ hit }) => hit);
}

/**
 * File names (before the first dot) of change logs and migration guides, whole or as a prefix;
 * the prefixes name a guide from one version to another, not a topic ("updating-a-message.md").
 */
const CHANGE_LOG_NAMES = ['changelog', 'change-log', 'changes', 'history', 'release-notes', 'releasenotes'];
const CHANGE_LOG_PREFIXES = [
  'changes-', 'change-log-', 'changelog-', 'release-notes-', 'migration-guide', 'upgrade-guide',
  'migrating-from', 'migrating-to', 'upgrading-from', 'upgrading-to', 'updating-from', 'updating-to',
];

/** `CHANGELOG.md`, `developers/change-log.mdx`, `changes-in-v14.md`, `upgrading-to-v5.md`. */
export function isChangeLog(source: string): boolean {
  const name = source.slice(source.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.indexOf('.');
  const stem = dot < 0 ? name : name.slice(0, dot);
  return CHANGE_LOG_NAMES.includes(stem) || CHANGE_LOG_PREFIXES.some((prefix) => stem.startsWith(prefix));
}

/** Words that ask about a change, where a change log answers ("after I updated", "renamed in v14"). */
const CHANGE_WORDS: ReadonlySet<string> = new Set([
  'update', 'updated', 'updating', 'upgrade', 'upgraded', 'upgrading', 'migrate', 'migrated', 'migrating', 'migration',
  'changed', 'changelog', 'deprecated', 'deprecation', 'removed', 'renamed', 'replaced', 'breaking', 'version', 'released',
]);

/** Whether a question's normalized words ask about a change: a change word, or a version (`v14`). */
export function asksAboutChange(words: readonly string[]): boolean {
  return words.some((word) => CHANGE_WORDS.has(word) || isVersion(word));
}

/** `v14`, `v2`: a "v" and digits. */
function isVersion(word: string): boolean {
  if (word.length < 2 || word[0] !== 'v') return false;
  for (let i = 1; i < word.length; i++) if (word.charCodeAt(i) < 48 || word.charCodeAt(i) > 57) return false;
  return true;
}

/**
 * The first `pool` hits reordered by `score / best score + weight × file score / best file
 * score`, where `fileScores` gives each hit's whole-file BM25 (`VerbatimIndex.fileScores`);
 * the rest follow as they were, ties keep their order.
 */
export function rerankByFile<T extends Scored>(hits: readonly T[], fileScores: (sources: string[]) => number[], weight: number, pool = DOCUMENT_POOL): T[] {
  if (weight <= 0 || hits.length < 2) return [...hits];
  const head = hits.slice(0, pool);
  const sources = [...new Set(head.map((hit) => hit.passage.source))];
  if (sources.length < 2) return [...hits]; // one file: its score cannot reorder its own passages
  const scores = fileScores(sources);
  const fileScore = new Map(sources.map((source, i) => [source, scores[i]!]));
  const weighed = withFileScores(
    head.map((hit) => hit.score),
    head.map((hit) => fileScore.get(hit.passage.source)!),
    weight,
  );
  const combined = head.map((hit, rank) => ({ hit, rank, score: weighed[rank]! }));
  combined.sort((a, b) => b.score - a.score || a.rank - b.rank);
  return [...combined.map(({ hit }) => hit), ...hits.slice(pool)];
}

/**
 * The one rule that weighs whole-file BM25 beside passage evidence, for `rerankByFile` and
 * for the evaluation's document ranking: `score / best score + weight × file score / best
 * file score`, element by element.
 */
export function withFileScores(scores: readonly number[], fileScores: readonly number[], weight: number): number[] {
  const best = Math.max(...scores, Number.MIN_VALUE);
  const bestFile = Math.max(...fileScores, Number.MIN_VALUE);
  return scores.map((score, i) => score / best + (weight * fileScores[i]!) / bestFile);
}
