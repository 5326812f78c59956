// Names that say an object begins and ends uses again and again: a member named with a begin verb
// (`subscribe`, `showTooltip`, `add_listener`) beside one named with its end verb and the same rest
// (`unsubscribe`, `hideTooltip`, `remove_listener`). What a begin adds to another object, its end
// must take back. Read by the JS and the Python handler rules.

/** Begin verbs and the verbs that end their use. */
const USE_PAIRS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['subscribe', ['unsubscribe']],
  ['listen', ['unlisten', 'close', 'stop']],
  ['show', ['hide']],
  ['open', ['close']],
  ['start', ['stop']],
  ['attach', ['detach']],
  ['connect', ['disconnect']],
  ['mount', ['unmount']],
  ['enable', ['disable']],
  ['watch', ['unwatch']],
  ['observe', ['unobserve']],
  ['track', ['untrack']],
  ['register', ['unregister']],
  ['add', ['remove']],
  ['activate', ['deactivate']],
  ['acquire', ['release']],
  ['join', ['leave']],
];

/** The names a member ending `beginName`'s use would have (`unsubscribe` for `subscribe`, `hide_tip` for `show_tip`), most likely first. */
export function endNamesOf(beginName: string): string[] {
  const names: string[] = [];
  for (const [verb, ends] of USE_PAIRS) {
    const rest = beginName.startsWith(verb) ? beginName.slice(verb.length) : undefined;
    if (rest === undefined || (rest !== '' && !/^[A-Z_]/.test(rest))) continue;
    for (const end of ends) names.push(end + rest);
  }
  return names;
}
