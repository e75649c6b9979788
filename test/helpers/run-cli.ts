/** Runs the CLI from source (through tsx) with the given arguments; for end-to-end tests. */
import { main } from '../../src/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
