import 'reflect-metadata';
import { runCli } from './cli/run-cli.js';

const code = await runCli(process.argv.slice(2), process.env, {
  out: (text) => process.stdout.write(text + '\n'),
  error: (text) => process.stderr.write(text + '\n'),
});
process.exit(code);
