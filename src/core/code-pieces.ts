/**
 * A Markdown code block → passages that stay code: the lines inside the fence (fence lines
 * left out), cut at blank lines into pieces that fit, each piece exact at its lines.
 */
import type { Chunk } from './chunk.ts';
import { lineAt } from './text.ts';

/**
 * The lines inside a code block (fence lines left out), cut at blank lines into pieces that
 * fit, and a run of lines with no blank line that does not fit cut between lines (a line
 * longer than the limit stays whole). Code is never folded or trimmed inside: only blank
 * lines at the ends are dropped.
 */
export function codePieces(text: string, [start, end]: [number, number], starts: number[], maxChars: number): Chunk[] {
  const first = lineAt(starts, start);
  const last = lineAt(starts, end - 1);
  // A fenced block's node starts at its fence (past a list's or a tab's indentation); an
  // indented block's at the start of its first line, indentation included.
  const fenced = /^(?:`{3}|~{3})/u.test(text.slice(start, start + 3));
  const from = fenced ? first + 1 : first;
  const to = fenced && last > first && /^[ \t>]*(`{3,}|~{3,})\s*$/u.test(lineText(text, starts, last)) ? last - 1 : last;
  // Groups of lines separated by blank lines, as [firstLine, lastLine].
  const groups: Array<[number, number]> = [];
  for (let line = from; line <= to; line++) {
    if (!lineText(text, starts, line).trim()) continue;
    const previous = groups[groups.length - 1];
    if (previous && previous[1] === line - 1) previous[1] = line;
    else groups.push([line, line]);
  }
  const charsOf = ([a, b]: [number, number]) => lineEndOffset(text, starts, b) - starts[a - 1]!;
  // A group too long by itself is cut at line ends (a long block with no blank line in it).
  const units = groups.flatMap(([a, b]): Array<[number, number]> => {
    if (charsOf([a, b]) <= maxChars) return [[a, b]];
    const lines: Array<[number, number]> = [];
    for (let line = a; line <= b; line++) {
      const current = lines[lines.length - 1];
      if (current && charsOf([current[0], line]) <= maxChars) current[1] = line;
      else lines.push([line, line]);
    }
    return lines;
  });
  const pieces: Array<[number, number]> = [];
  for (const group of units) {
    const current = pieces[pieces.length - 1];
    if (current && charsOf([current[0], group[1]]) <= maxChars) current[1] = group[1];
    else pieces.push([group[0], group[1]]);
  }
  return pieces.map(([a, b]) => ({ text: text.slice(starts[a - 1]!, lineEndOffset(text, starts, b)), lines: [a, b] as [number, number] }));
}

function lineText(text: string, starts: number[], line: number): string {
  return text.slice(starts[line - 1]!, lineEndOffset(text, starts, line));
}

function lineEndOffset(text: string, starts: number[], line: number): number {
  const next = line < starts.length ? starts[line]! - 1 : text.length;
  return next > starts[line - 1]! && text[next - 1] === '\r' ? next - 1 : next;
}
