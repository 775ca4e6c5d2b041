/**
 * A reproducible benchmark corpus built from SciFact with no downloads: abstracts are cut
 * into sentences, a seeded PRNG recombines them into distinct passages of 2–5 sentences, and
 * the passages are grouped into synthetic files that go through the real chunker. Queries
 * mix SciFact claims with questions made from passage words. Everything here is pure given
 * its inputs: same seed, same corpus, same queries.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { STOPWORDS } from '../core/analyzer.ts';
import { DEFAULT_MAX_PASSAGE_CHARS } from '../core/options.ts';
import { PROJECT_ROOT } from '../config.ts';
import { foldWhitespace, sentenceRanges } from '../core/text.ts';

export const SCIFACT_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'eval', 'scifact');
export const DEFAULT_PASSAGES_PER_FILE = 100;

/** mulberry32: a tiny, fast 32-bit PRNG; good enough to shuffle benchmark text. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SciFactText {
  /** Distinct abstract sentences (whitespace folded), in corpus order. */
  sentences: string[];
  /** Claims from queries.jsonl, in file order. */
  claims: string[];
}

/**
 * Reads SciFact's abstracts and claims. Sentences longer than half a passage are left out so
 * that any two fit in one passage: every generated passage then stays a single chunk.
 */
export function loadSciFact(dir = SCIFACT_DIR, maxPassageChars = DEFAULT_MAX_PASSAGE_CHARS): SciFactText {
  const maxSentence = Math.floor((maxPassageChars - 1) / 2);
  const seen = new Set<string>();
  const sentences: string[] = [];
  for (const line of jsonLines(gunzipSync(readFileSync(path.join(dir, 'corpus.jsonl.gz'))).toString('utf8'))) {
    const text = foldWhitespace(String((line as { text?: unknown }).text ?? ''));
    for (const [start, end] of sentenceRanges(text)) {
      const sentence = text.slice(start, end);
      if (sentence.length < 20 || sentence.length > maxSentence || !/\p{L}/u.test(sentence) || seen.has(sentence)) continue;
      seen.add(sentence);
      sentences.push(sentence);
    }
  }
  const claims = jsonLines(readFileSync(path.join(dir, 'queries.jsonl'), 'utf8'))
    .map((line) => foldWhitespace(String((line as { text?: unknown }).text ?? '')))
    .filter(Boolean);
  return { sentences, claims };
}

function jsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as unknown);
}

/**
 * `count` distinct passages of 2–5 random sentences joined by spaces, each at most
 * `maxChars` long and on one line (so the chunker keeps each one whole).
 */
export function generatePassages(sentences: readonly string[], count: number, seed: number, maxChars = DEFAULT_MAX_PASSAGE_CHARS): string[] {
  if (sentences.length < 2) throw new Error('need at least two sentences to build passages');
  const random = mulberry32(seed);
  const pick = () => sentences[Math.floor(random() * sentences.length)]!;
  const seen = new Set<string>();
  const passages: string[] = [];
  // Bounded so that a request the sentence pool cannot satisfy fails instead of spinning.
  const maxAttempts = count * 20 + 1000;
  for (let attempt = 0; passages.length < count; attempt++) {
    if (attempt >= maxAttempts) throw new Error(`only ${passages.length} distinct passages after ${attempt} attempts`);
    const target = 2 + Math.floor(random() * 4);
    let passage = pick();
    for (let i = 1; i < target; i++) {
      const next = pick();
      if (passage.length + 1 + next.length > maxChars) break;
      passage += ' ' + next;
    }
    if (seen.has(passage)) continue;
    seen.add(passage);
    passages.push(passage);
  }
  return passages;
}

const QUESTION_TEMPLATES: Array<(words: string) => string> = [
  (words) => `what ${words}?`,
  (words) => `what is known about ${words}?`,
  (words) => `what is the effect of ${words}?`,
  (words) => `what role does ${words} play?`,
];
const WORD = /\p{L}[\p{L}\p{N}]*/gu;

/**
 * `count` queries: SciFact claims (cycling through the file) alternating with questions of
 * 3–6 content words taken in order from a random sentence of a random passage.
 */
export function generateQueries(claims: readonly string[], passages: readonly string[], count: number, seed: number): string[] {
  if (passages.length === 0) throw new Error('need passages to build queries');
  // A different stream from the passages', so the two lists do not mirror each other.
  const random = mulberry32((seed ^ 0x9e3779b9) >>> 0);
  const queries: string[] = [];
  let claimIndex = 0;
  const maxAttempts = count * 20 + 1000;
  for (let attempt = 0; queries.length < count; attempt++) {
    if (attempt >= maxAttempts) throw new Error(`only ${queries.length} queries after ${attempt} attempts`);
    if (claims.length > 0 && queries.length % 2 === 0) {
      queries.push(claims[claimIndex++ % claims.length]!);
      continue;
    }
    const question = questionFrom(passages[Math.floor(random() * passages.length)]!, random);
    if (question) queries.push(question);
  }
  return queries;
}

function questionFrom(passage: string, random: () => number): string | undefined {
  const sentences = sentenceRanges(passage);
  const [start, end] = sentences[Math.floor(random() * sentences.length)] ?? [0, passage.length];
  const words = [...new Set(passage.slice(start, end).match(WORD) ?? [])].filter(
    (word) => word.length >= 3 && !STOPWORDS.has(word.toLowerCase()),
  );
  if (words.length < 3) return undefined;
  const want = Math.min(words.length, 3 + Math.floor(random() * 4));
  // Partial Fisher–Yates over positions, then back in sentence order so the question reads.
  const positions = words.map((_, i) => i);
  for (let i = 0; i < want; i++) {
    const j = i + Math.floor(random() * (positions.length - i));
    [positions[i], positions[j]] = [positions[j]!, positions[i]!];
  }
  const chosen = positions.slice(0, want).sort((a, b) => a - b).map((i) => words[i]!.toLowerCase());
  return QUESTION_TEMPLATES[Math.floor(random() * QUESTION_TEMPLATES.length)]!(chosen.join(' '));
}

/** A synthetic file: a title line, then passages `[from, to)` separated by blank lines. */
export interface SyntheticFile {
  source: string;
  title: string;
  from: number;
  to: number;
}

export function groupIntoFiles(passageCount: number, perFile = DEFAULT_PASSAGES_PER_FILE): SyntheticFile[] {
  const files: SyntheticFile[] = [];
  const digits = String(Math.ceil(passageCount / perFile)).length;
  for (let from = 0, n = 1; from < passageCount; from += perFile, n++) {
    const number = String(n).padStart(digits, '0');
    files.push({ source: `synthetic/file-${number}.txt`, title: `Synthetic SciFact sample ${number}`, from, to: Math.min(from + perFile, passageCount) });
  }
  return files;
}

export interface RenderedFile {
  text: string;
  size: number;
  sha256: string;
}

/** The file's bytes as a reader would see them, with the identity `NewFileRecord` wants. */
export function renderFile(file: SyntheticFile, passages: readonly string[]): RenderedFile {
  const text = `${file.title}\n\n${passages.slice(file.from, file.to).join('\n\n')}\n`;
  const bytes = Buffer.from(text, 'utf8');
  return { text, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Writes the synthetic files as a corpus folder, as `renderFile` renders them. */
export function writeCorpus(corpusDir: string, files: readonly SyntheticFile[], passages: readonly string[]): void {
  for (const file of files) {
    const target = path.join(corpusDir, file.source);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, renderFile(file, passages).text);
  }
}
