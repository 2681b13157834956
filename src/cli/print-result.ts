/** Where the CLI writes: stdout and stderr in a terminal, buffers in tests. */
export interface Output {
  out(text: string): void;
  error(text: string): void;
}

export function printResult(output: Output, asJson: boolean, value: unknown, human: string): void {
  output.out(asJson ? JSON.stringify(value, null, 2) : human);
}
