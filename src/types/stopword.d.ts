// The stopword package ships no type declarations; we use only its word lists.
declare module 'stopword' {
  export const eng: string[];
}
