// Stepwise leak, Node: a round-based job. Each round works on a --temp-mb scratch array
// (garbage after the round) and appends a --keep-mb snapshot (a Float64Array copy of the
// round's state) to a history array nothing trims, so RSS steps up by --keep-mb per round.
//   node node_rounds.js --round-s 6 --keep-mb 10 --temp-mb 40 [--seconds 900]
'use strict';
const { option } = require('./nodeserve');

const roundS = option('round-s', 6);
const keepMb = option('keep-mb', 10);
const tempMb = option('temp-mb', 40);
const seconds = option('seconds', 900);
let state = new Float64Array((keepMb * 2 ** 20) / 8).fill(0.5);
const history = []; // LEAK: one snapshot per round
function round() {
  const scratch = new Float64Array((tempMb * 2 ** 20) / 8);
  for (let i = 0; i < scratch.length; i += 1) scratch[i] = Math.random() - 0.5;
  for (let i = 0; i < state.length; i++) state[i] -= 0.01 * scratch[i];
  history.push(state.slice());
}
round();
const timer = setInterval(round, roundS * 1000);
setTimeout(() => { clearInterval(timer); process.exit(0); }, seconds * 1000);
