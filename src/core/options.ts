/**
 * Every tunable of the core in one place, each with its default and why, the way MiniSearch
 * documents its options. The ranking parameters chosen by evaluation are `DEFAULT_RANKING`
 * in `ranking.ts` (BM25, coordination, file evidence, feedback weight); the Discord adapter's
 * own limits are Discord's (`discord/limits.ts`).
 *
 * Changing `DEFAULT_MAX_PASSAGE_CHARS` or `TABLE_MAX_CHARS` cuts files differently: bump
 * `CHUNKER_VERSION` (`chunk.ts`) so stored indexes are rebuilt.
 */

// ── Asking ──────────────────────────────────────────────────────────────────────────────

/** How many quotes an answer shows when not told (`/ask results:`, `--top`). Example: `5`. */
export const DEFAULT_TOP = 3;
/** The most quotes one answer may show. */
export const MAX_TOP = 50;
/**
 * A passage shown after the best one must match at least this share of the best one's
 * coverage of the question, besides being likely an answer itself (`FOLLOWING_ANSWER_PROBABILITY`). Example: `0.5`.
 */
export const MIN_SHARE_OF_BEST = 0.5;
/**
 * Once a passage has passed the answerability model's threshold (the corpus answers), the
 * other passages shown, in rank order (before or after it), need only this probability of
 * being an answer: more likely than not.
 * At the threshold itself, "Kremlin spokesman Dmitry Peskov in a conference call with
 * reporters" (0.83) was held back from "who talked to journalists on a phone call for the
 * kremlin". Example: `0.5`.
 */
export const FOLLOWING_ANSWER_PROBABILITY = 0.5;
/** Longer questions are refused with a message (Discord's own option limit is lower: 300). */
export const MAX_QUESTION_CHARS = 1000;
/** Longer messages are refused before anything is read of them, stack trace or not (a Discord message with Nitro: 4000). */
export const MAX_PASTE_CHARS = 4000;
/** More `"phrases"` than this in one question is refused: each costs a text check per candidate. */
export const MAX_PHRASES = 8;
/** More `-excluded` words than this in one question is refused. */
export const MAX_EXCLUDED = 16;

// ── Searching ───────────────────────────────────────────────────────────────────────────

/**
 * A question's cost grows with its distinct terms (each one walks a postings list), so a
 * search uses at most this many: the rarest ones, which carry the most weight. A 1,000-
 * character question rarely has more than 60 distinct words. (At most 32: matched terms
 * are a bit mask.)
 */
export const MAX_QUERY_TERMS = 32;
/** Passages checked word by word for `"phrases"`, best-scoring first, before giving up. */
export const MAX_PHRASE_CHECKS = 2000;
/**
 * How many of the best passages `rerankWithFeedback` and `rerankByFile` reorder: a fixed
 * number, so that every page of results (a "More" button) is cut from the same order.
 */
export const DOCUMENT_POOL = 5;
/** Pseudo-relevance feedback: how many words of the best passages count (the question's own excluded). */
export const FEEDBACK_TERMS = 30;
/**
 * Two passages of the feedback pool that share at least this share of their distinct terms
 * (Jaccard) are copies, and count once between them in the relevance model: the guide
 * repeats its error handler (`interaction.reply({ … flags: MessageFlags.Ephemeral })`) on two
 * pages, and the copies lifted each other over "Ephemeral responses" for "how do i make an
 * ephemeral reply". Example: `0.8`.
 */
export const FEEDBACK_NEAR_DUPLICATE = 0.8;
/** Feedback reads at most this much of each passage (an unbroken code block can be far longer than a passage). */
export const FEEDBACK_TEXT_CHARS = 4000;
/**
 * Whole-file BM25 reads the postings of the question's terms for every passage of the files
 * it scores; past this many passages in those files together it is skipped (the passage
 * ranking stands), so a corpus of a few enormous files costs a question no more than ~3 ms
 * of it. Two files of 50,000 passages each cost 5 ms a question before this bound.
 */
export const MAX_FILE_SCORE_PASSAGES = 20_000;
/** Longer terms are not corrected: no word is that long, and a typed blob is not a typo. */
export const MAX_CORRECTED_LENGTH = 32;
/**
 * A corrected word weighs 1 − this × edits / letters in the search: below a typed word, but
 * not so far below that the other words decide alone. At 1 (the word's similarity, as
 * MiniSearch weighs a fuzzy match) a typo in the key word of generated typo'd questions
 * changed their top file 13 times in 248 on the news paraphrase set, 14 in 192 on the guide
 * set; at 0.5, 9 and 10. Example: `0.5`.
 */
export const CORRECTION_COST = 0.5;
/** At most this many words of one question are looked up for a correction (in question order). */
export const MAX_CORRECTIONS = 3;
/**
 * At most this many splits of words the corpus lacks a question checks against the text
 * ("rerendering" → "re-rendering", `word-breaks.ts`). Example: `3`.
 */
export const MAX_WORD_BREAK_CHECKS = 3;
/**
 * A split's check reads at most this many passages that have both halves, in index order
 * (`VerbatimIndex.passageWithPhrase`): where the corpus writes a compound apart, most of the
 * passages with both halves write it so. Three checks on the bench's million passages cost
 * about 1 ms; as ranked phrase searches they had cost up to 16 ms each. Example: `50`.
 */
export const WORD_BREAK_CANDIDATES = 50;
/** Two question words are tried as one corpus word ("log in" → login) only when each is at most this long. */
export const MAX_JOINED_WORD = 8;
/**
 * A joined word's weight in the search, against 1 for a word asked: it stands for words the
 * question already has, so at full weight a passage with all three ("error", "code" and a
 * C# sample's `ErrorCode`) counted the pair twice and outranked the one table row naming
 * error 50013. Example: `0.5`.
 */
export const JOINED_WEIGHT = 0.5;
/**
 * The weight of the documentation's word searched beside a member's that the corpus also has
 * ("guild" beside "server", `shorthand.ts`), against 1 for a word asked: it stands for that
 * word, as a joined word does. Example: `0.5`.
 */
export const DOCS_WORD_WEIGHT = 0.5;
/**
 * In `ask`, a passage of a change log or migration guide (`isChangeLog` in ranking.ts: `CHANGELOG.md`,
 * `change-log.mdx`, `changes-in-v14.md`) scores this × as much, unless the question asks about a
 * change ("after I updated", "v14"): such pages mention every feature once more. Example: `0.4`.
 */
export const CHANGE_LOG_WEIGHT = 0.4;

// ── Passages and quotes ─────────────────────────────────────────────────────────────────

/** Paragraphs longer than this (UTF-16 units) are cut into windows of whole sentences, unless `chunkDocument` is told otherwise. Example: `700`. */
export const DEFAULT_MAX_PASSAGE_CHARS = 700;
/** Markdown tables up to this many characters are one passage; longer ones are cut by rows. */
export const TABLE_MAX_CHARS = 2000;
/** A table's header row longer than this is not shown above quotes of its rows (it would crowd them out). */
export const TABLE_HEADER_MAX_CHARS = 500;
/** Passages up to this length are quoted whole; longer ones by their best run of sentences. */
export const QUOTE_MAX_CHARS = 500;
/** Code passages up to this length are quoted whole (a passage is at most 700 characters, or one long unbroken block). */
export const CODE_QUOTE_MAX_CHARS = 700;
/**
 * A code block that starts at most this many lines below a prose answer, in its section, is
 * shown with it as its example (a blank line, a `<!-- eslint-skip -->`, the fence line between).
 * Example: `5`.
 */
export const MAX_EXAMPLE_GAP = 5;
