/** Loads a BEIR-format collection: corpus.jsonl[.gz], queries.jsonl, qrels/<split>.tsv. */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { VerbatimError } from '../core/errors.ts';

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

/** query id → document id → graded relevance (> 0 relevant). */
export type Qrels = Map<string, Map<string, number>>;

export interface BeirDataset {
  name: string;
  documents: BeirDocument[];
  /** Only the queries judged in the split. */
  queries: BeirQuery[];
  qrels: Qrels;
}

export class DatasetError extends VerbatimError {
  override name = 'DatasetError';
}

export async function loadBeir(dir: string, split: string): Promise<BeirDataset> {
  if (!existsSync(dir)) throw new DatasetError(`Dataset folder not found: ${dir}`);
  const qrelsPath = path.join(dir, 'qrels', `${split}.tsv`);
  if (!existsSync(qrelsPath)) throw new DatasetError(`No split "${split}" (missing ${qrelsPath})`);

  const qrels = parseQrels(await fs.readFile(qrelsPath, 'utf8'));
  const documents = parseJsonl(await readCorpusText(dir)).map((row) => ({
    id: String(row._id),
    title: String(row.title ?? ''),
    text: String(row.text ?? ''),
  }));
  const queries = parseJsonl(await fs.readFile(path.join(dir, 'queries.jsonl'), 'utf8'))
    .map((row) => ({ id: String(row._id), text: String(row.text ?? '') }))
    .filter((query) => qrels.has(query.id));
  return { name: path.basename(path.resolve(dir)), documents, queries, qrels };
}

async function readCorpusText(dir: string): Promise<string> {
  const plain = path.join(dir, 'corpus.jsonl');
  if (existsSync(plain)) return fs.readFile(plain, 'utf8');
  const gz = path.join(dir, 'corpus.jsonl.gz');
  if (existsSync(gz)) return gunzipSync(await fs.readFile(gz)).toString('utf8');
  throw new DatasetError(`No corpus.jsonl or corpus.jsonl.gz in ${dir}`);
}

function parseJsonl(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** `query-id<TAB>corpus-id<TAB>score`, with an optional header line. */
export function parseQrels(text: string): Qrels {
  const qrels: Qrels = new Map();
  for (const line of text.split('\n')) {
    const [queryId, docId, score] = line.trim().split('\t');
    if (!queryId || !docId || score === undefined || queryId === 'query-id') continue;
    const gain = Number(score);
    if (!Number.isFinite(gain)) continue;
    if (!qrels.has(queryId)) qrels.set(queryId, new Map());
    qrels.get(queryId)!.set(docId, gain);
  }
  return qrels;
}
