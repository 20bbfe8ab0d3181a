// wink-bm25-text-search ships no types; this is the part the benchmark uses.
declare module 'wink-bm25-text-search' {
  interface BM25Engine {
    defineConfig(config: { fldWeights: Record<string, number> }): void;
    definePrepTasks(tasks: Array<(input: string) => string[]>): void;
    addDoc(doc: Record<string, string>, id: number): void;
    consolidate(): void;
    search(query: string, limit?: number): Array<[number, number]>;
  }
  export default function bm25(): BM25Engine;
}
