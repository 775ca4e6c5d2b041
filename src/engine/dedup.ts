/** Passages identical after whitespace folding are indexed once: their hash key and the text check. */
import { hash } from 'node:crypto';
import { foldWhitespace } from '../core/text.ts';

/**
 * The dedup key of a passage: the first 128 bits of the SHA-256 of its whitespace-folded
 * text, written as four words at `out[at..at+4]`. A match is still confirmed against the
 * texts before two places share a passage (`samePassageText`): cheap, and it keeps a quote
 * exact whatever the hash. (A 128-bit FNV in JavaScript, tried instead, was no faster:
 * ~4.7 µs a passage against ~5 µs for folding and hashing natively.) `utf8`: the text already
 * encoded, hashed as it is when folding leaves the text unchanged.
 */
export function dedupHash(text: string, out: Uint32Array, at: number, utf8?: Uint8Array): void {
  // Already folded text whose UTF-8 bytes are at hand is hashed as it is (no encoding again).
  const folded = foldWhitespace(text);
  const digest = hash('sha256', utf8 && folded === text ? utf8 : folded, 'buffer');
  for (let w = 0; w < 4; w++) out[at + w] = digest.readUInt32LE(4 * w);
}

/**
 * Whether two places can share one passage's text: prose when equal after whitespace folding
 * (a quote of prose is exact after folding), code only when equal as it is — code is quoted
 * as its exact lines, and the same block indented in a list or with tabs is other text.
 */
export function samePassageText(x: string, y: string, code: boolean): boolean {
  return x === y || (!code && foldWhitespace(x) === foldWhitespace(y));
}

export function hashKey(words: Uint32Array, at: number): string {
  return `${words[at]},${words[at + 1]},${words[at + 2]},${words[at + 3]}`;
}
