/**
 * The CLI from source, with a fault injected: SPYGLASS_TEST_FAULT=throw|reject makes an error
 * nothing catches half a second after the agent says it started. For the agent's last resort.
 */
import { main } from '../../src/cli/main.js';

const fault = process.env.SPYGLASS_TEST_FAULT;
const write = process.stderr.write.bind(process.stderr) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
let armed = false;
process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  if (!armed && String(chunk).includes('spyglass agent: started')) {
    armed = true;
    setTimeout(() => {
      if (fault === 'throw') throw new TypeError('injected fault: cannot read properties of undefined');
      if (fault === 'reject') void Promise.reject(new Error('injected fault: a promise nobody awaited'));
    }, 500);
  }
  return write(chunk, ...rest);
}) as typeof process.stderr.write;

main(process.argv).then((code) => {
  process.exitCode = code;
});
