/** A command's key in commands/index.ts: its words in camelCase ("media upload" → "mediaUpload"). */
export type CommandKey<N extends string> = N extends `${infer A} ${infer B}`
  ? `${A}${Capitalize<CommandKey<B>>}`
  : N extends `${infer A}-${infer B}`
    ? `${A}${Capitalize<CommandKey<B>>}`
    : N;

export function commandKey<N extends string>(name: N): CommandKey<N> {
  return name.replace(/[ -]([a-z])/g, (_, c: string) => c.toUpperCase()) as CommandKey<N>;
}
