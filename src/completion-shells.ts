// The shells `pbxplan completion` writes for, and what a word completes to: plain data, apart
// from the renderer (completion.ts), so that the command table can name them at start-up.
export type CompletionShell = 'bash' | 'zsh';
export const COMPLETION_SHELLS: readonly CompletionShell[] = ['bash', 'zsh'];

/** What a word completes to: a file, a directory, or one of fixed values. */
export type Completes = { kind: 'file' } | { kind: 'dir' } | { kind: 'values'; values: string[] } | { kind: 'none' };
