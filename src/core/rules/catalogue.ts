// The rules' documentation: what each one guards against, when it fires, what its fix does,
// and when that fix does not help. Shown by the CLI and by the extension's hovers.
import { Language, RuleDoc, RuleId } from './types';

const PYTHON: readonly Language[] = ['python'];
const JS: readonly Language[] = ['javascript', 'typescript', 'tsx'];
const BOTH: readonly Language[] = ['python', ...JS];

export const RULES: readonly RuleDoc[] = [
  {
    id: 'handler-not-cleared',
    title: 'Handler registered on every call and never removed',
    description:
      'A handler registered on each round or request and never removed keeps its closure, and everything the closure captured, alive.',
    defaultSeverity: 'warning',
    languages: BOTH,
    docs: [
      'Fires when a function that runs repeatedly (a method, a request or connection callback) registers a fresh closure',
      'on a long-lived object (`self.server.set_message_handler(K, fn)`, `handlers[k] = fn`, `process.on(evt, fn)`)',
      'and nothing in the file ever removes it.',
      'Fix: clear the handler once the work is done (`set_message_handler(K, None)` in a `finally`), use `once`,',
      'or remove the listener when the connection closes.',
      'Registering in a constructor or an init/setup/start function counts as set-up and is not reported, except on the',
      'window or the process: there a listener per instance (an inline function, `this.onResize`, `fn.bind(this)`, in a',
      'class method, a prototype method or a constructor) piles up with the instances (fix: remove it in the class\'s',
      '`componentWillUnmount`/`disconnectedCallback`/`dispose`, added when missing).',
      'Only a removal that can match counts: the same emitter and event, the function that was added (a React effect',
      'whose cleanup removes `handleResize` after adding `debouncedResize` removes nothing; fix: name the added one), not',
      'a function made on the spot (`removeEventListener("resize", () => this.onResize())`), and not in a comment.',
      'JS also: a named listener made in the function that adds it (`const onScroll = () => …` in an effect) counts as',
      'new per call (fix: return a cleanup that removes it); a listener added in an AngularJS controller or link function',
      '(it takes `$scope`) to an injected service (`Socket.on(…)`) stays after the view (fix: remove it on',
      '`$scope.$on("$destroy")`; the same for `$rootScope.$on(…)` whose deregistration function is dropped); and one',
      'added, in code that runs per event, to an object looked up from a table that',
      'outlives the call (`peer = peers[key]; peer.on(…)`) piles up on that object.',
      'Python also: a bound method (`self.close`, inherited ones too) given to a module-level bus or to `atexit` and never',
      'unregistered by its class or by name (another class unsubscribing its own handler does not count; fix: unregister',
      'in `close()`), and a handler made per instance or call and added to a named logger',
      '(`logging.getLogger(name).addHandler(h)`) with no `removeHandler` and no check of `logger.handlers` (fix: replace the',
      'handler of the same type an earlier call added); and a callback appended per call to a list every instance shares',
      '(`waiters = []` in the class body, a module-level `callbacks` list) that nothing takes one out of: a reset after',
      'notifying everyone misses callers that leave first (fix: a `cancel_…` function that removes it, for the caller\'s',
      'disconnect path). JS also: a listener added to a request\'s keep-alive socket (`req.socket`, `res.connection`), and',
      'a process listener added by a plain function that spawns a child process (it runs once per child), and a listener',
      'added under an event name made per call (`this.on(actionId, cb)`; fix: `once`).',
      'Does not help when the handler is meant to stay for the life of the object; silence the line then.',
    ].join('\n'),
  },
  {
    id: 'unbounded-cache',
    title: 'Cache without eviction',
    description: 'A dict or Map used as a cache that is stored into but never evicted from grows with every new key.',
    defaultSeverity: 'warning',
    languages: BOTH,
    docs: [
      'Fires on the first store into a long-lived dict/Map named like a cache (`_index_cache`, `memo`) when nothing in',
      'the file deletes, pops or clears its entries or checks its size. Long-lived includes a local that a memoizing',
      'wrapper or decorator keeps in the function it returns (`const cache = new Map(); return (x) => ...`).',
      'Python: the key must come from outside (an argument, an id, the clock, a counter, or, for a module\'s or class\'s',
      'dict shared by all instances, what an instance was made with: `_cache[self._settings.key]` after',
      '`self._settings = settings` in `__init__`).',
      'Fix: evict the oldest entries past a cap (insertion order makes dicts and Maps FIFO), or turn it into an',
      '`OrderedDict` trimmed with `popitem(last=False)`, or use `functools.lru_cache(maxsize=N)`.',
      'Does not help when the key space is small and fixed; then the cache is bounded already.',
    ].join('\n'),
  },
  {
    id: 'method-lru-cache',
    title: 'lru_cache on a method, or an unbounded lru_cache',
    description:
      '`functools.lru_cache` on a method keeps every `self` it saw alive, and `maxsize=None` (or `functools.cache`) never evicts.',
    defaultSeverity: 'warning',
    languages: PYTHON,
    docs: [
      'Fires on the decorator of an instance method cached with `lru_cache`/`cache`, and on any `lru_cache(maxsize=None)`',
      'or `functools.cache`.',
      'Fix: make the method a `@staticmethod` when it does not use `self`, or bound the cache with `maxsize=128`.',
      'A bounded cache on a method still keeps up to `maxsize` instances alive; move the cache off the method',
      '(a per-instance dict, or a module-level function of the arguments) when instances are large.',
    ].join('\n'),
  },
  {
    id: 'unbounded-collection',
    title: 'List appended forever',
    description: 'A long-lived list or array appended to on every call and never trimmed grows for as long as the process runs.',
    defaultSeverity: 'warning',
    languages: BOTH,
    docs: [
      'Fires on the first append/push, outside the initialiser, to a long-lived list named like a record',
      '(`history`, `samples`, `losses`, `events`…) that nothing in the file trims, pops, clears or reassigns.',
      'Fix: `collections.deque(maxlen=N)`, or drop the oldest items past a cap (`del xs[:-N]`, `xs.splice(0, xs.length - N)`).',
      'Also dicts/Maps not named as caches that gain an entry per distinct argument of a request handler (or of a',
      'module-level function a route/event handler of the file calls; in a Flask-style view, a key from `request`), of the',
      'closure a decorator returns, or of a started service (a class with `start`/`run`/`serve`, filled per event, directly',
      'or by a helper the handler calls); JS module-level Maps/objects looked up under the same key before the store',
      '(a get-or-compute memo, a get-or-create table of lists); and instances registering themselves (`Register[id(self)] = self`) when only `__del__`',
      'would take them out (it cannot run while the registry holds them). JS also: a table of pending calls, a Map or',
      'object storing the `resolve`/`reject` of the promise it is inside (`pending.set(id, { resolve, reject })`), that',
      'nothing deletes from (fix: evict the oldest past a cap; better, delete the entry when its reply or timeout comes).',
      'A deque does not support slicing; keep the list and trim it when the code slices it.',
    ].join('\n'),
  },
  {
    id: 'missing-gc-after-free',
    title: 'Large objects freed each round with no garbage collection',
    description:
      'Objects deleted at the end of a round stay in memory while reference cycles hold them, until the collector happens to run.',
    defaultSeverity: 'information',
    languages: PYTHON,
    docs: [
      'Fires on a `del` of large-looking objects (model, samples, batch, buffer…) inside a loop or a round/epoch/trial',
      'function when that function never calls `gc.collect()`.',
      'Fix: call `gc.collect()` after the cleanup (adds `import gc`).',
      'Only frees objects kept alive by cycles; objects still referenced elsewhere stay, and the freed memory may stay',
      'in the process (see malloc-trim).',
    ].join('\n'),
  },
  {
    id: 'malloc-trim',
    title: 'Freed memory not returned to the OS',
    description: 'After large buffers are freed, glibc may keep the memory in the process, so RSS stays high round after round.',
    defaultSeverity: 'hint',
    languages: PYTHON,
    docs: [
      'Fires where a loop or round frees objects (`del`, or `x.clear()` as a statement) and already runs `gc.collect()`,',
      'but neither the round nor a helper it calls runs `malloc_trim`.',
      'Fix: `ctypes.CDLL("libc.so.6").malloc_trim(0)` after the collection, guarded to Linux and wrapped in a try.',
      'Only helps memory that went through glibc malloc: objects over 512 bytes (smaller ones live in pymalloc arenas),',
      'or everything under `PYTHONMALLOC=malloc`. Does nothing on macOS, Windows or musl (Alpine), nor for memory still referenced.',
    ].join('\n'),
  },
  {
    id: 'log-no-rotation',
    title: 'Log file without rotation',
    description: 'A log file sink without rotation grows without limit, and loguru/logging/winston buffers grow with it.',
    defaultSeverity: 'information',
    languages: BOTH,
    docs: [
      'Fires on loguru `logger.add(<file>)` without `rotation=`, on `logging.FileHandler(...)`, on',
      '`logging.basicConfig(filename=...)`, and on winston `new transports.File({...})` without `maxsize`/`maxFiles`.',
      'Fix: `rotation="100 MB", retention="3 days"` for loguru; `logging.handlers.RotatingFileHandler(..., maxBytes=100 * 1024 * 1024, backupCount=3)`;',
      '`maxsize: 100 * 1024 * 1024, maxFiles: 3` for winston.',
      'Does not help when an external tool (logrotate with copytruncate) already rotates the file.',
    ].join('\n'),
  },
  {
    id: 'cuda-cache',
    title: 'CUDA tensors freed without emptying the cache',
    description:
      'PyTorch keeps freed CUDA memory in its caching allocator, so other processes and the monitor see it as used until `torch.cuda.empty_cache()`.',
    defaultSeverity: 'information',
    languages: PYTHON,
    docs: [
      'Fires on a `del` of tensors or models inside a loop or a round/epoch/trial function in a file that uses CUDA,',
      'when neither that function nor a cleanup helper it calls runs `torch.cuda.empty_cache()`.',
      'Fix: `torch.cuda.empty_cache()` after the `del`.',
      'Releases only cached blocks no tensor uses; tensors still referenced (by an optimizer, a list of losses) stay.',
      'In a hot training step it costs time (the allocator must ask CUDA again): move it to the end of the epoch or trial there.',
    ].join('\n'),
  },
  {
    id: 'trial-no-guard',
    title: 'Optuna objective without a time or memory limit',
    description: 'A stuck or leaking Optuna trial runs for hours and takes the machine with it when nothing prunes it.',
    defaultSeverity: 'warning',
    languages: PYTHON,
    docs: [
      'Fires on the `def` of an Optuna objective (passed to `study.optimize`, or `objective(trial)` in a file that imports',
      'optuna) that raises `TrialPruned` on neither elapsed time nor memory.',
      'Fix: the seed runbook\'s guard at the start of the objective\'s loop (elapsed time over `max_trial_duration`, RSS',
      'over 12 GB via psutil, both raising `optuna.TrialPruned`) and `gc_after_trial=True` on `study.optimize`.',
      'Also fires on `study.optimize(objective, ...)` when the objective is not a function of the file (an instance of a',
      'class from another module, or a class of the file with a `__call__` and no guard: `optimize(Objective(data))`)',
      'and the call lacks `gc_after_trial=True`; a `timeout=` bounds time, not memory.',
      'Fix there: `gc_after_trial=True`.',
      'The guard only runs where it is inserted: a trial stuck inside one long call is not interrupted.',
    ].join('\n'),
  },
  {
    id: 'timer-not-cleared',
    title: 'Timer never cleared or cancelled',
    description:
      'A `setInterval` (or a `setTimeout` that re-arms itself) never cleared, or a Python timer (`threading.Timer`, `loop.call_later`) nothing can cancel, keeps its callback and everything it captures alive.',
    defaultSeverity: 'warning',
    languages: BOTH,
    docs: [
      'Fires on a `setInterval`/re-arming `setTimeout` inside a class, a React effect, a connection/request callback, or a',
      'factory that hands out a stop function (`const stop = () => {...}` beside the timer) whose handle is dropped or',
      'never passed to `clearInterval`/`clearTimeout`.',
      'Fix: keep the handle and clear it in `dispose()`, in the stop function, or when the connection closes.',
      'Does not help when nothing calls `dispose()`; wire it to the owner\'s lifetime.',
      'Python: fires on a `threading.Timer` started by a method that runs again and again (not `__init__`/`start`/set-up)',
      'whose handle is dropped or kept in a local it neither cancels, joins nor hands on; on a timer (`threading.Timer`,',
      '`call_later`, `call_at`) stored in `self.x` by such a method in a class that never cancels `self.x`; and on a timer',
      'whose callback is the method that starts it, with no condition on the way, that the class never cancels.',
      'Timers at module level, in plain functions or a `__main__` script, and one-shot `call_later` calls are not reported.',
      'Fix: keep the handle on the instance, cancel the previous one before storing a new one, and cancel it in the',
      'class\'s `close()`/`stop()` (a new `close()` for a re-arming timer when the class has none).',
    ].join('\n'),
  },
  {
    id: 'stream-no-drain',
    title: 'StreamWriter.write in a loop without drain',
    description: 'asyncio `StreamWriter.write` only buffers, so writing in a loop without `await writer.drain()` grows the buffer as fast as the peer is slow.',
    defaultSeverity: 'warning',
    languages: PYTHON,
    docs: [
      'Fires on `writer.write(...)`/`writelines(...)` inside a loop of an `async def` when the loop never awaits `writer.drain()`,',
      'and on a plain (sync) function writing to every peer\'s transport in a loop when it neither drains nor the file',
      'looks at the write buffer (`get_write_buffer_size`, `pause_writing`); a drain in another, async function does not count.',
      'Fix: `await writer.drain()` after the write, which waits while the buffer is over its high-water mark.',
      'Does not help a peer that never reads; add a timeout around the drain then.',
    ].join('\n'),
  },
];

const BY_ID = new Map<RuleId, RuleDoc>(RULES.map((doc) => [doc.id, doc]));

export function ruleDoc(id: RuleId): RuleDoc {
  const doc = BY_ID.get(id);
  if (!doc) throw new Error(`no documentation for rule ${id}`);
  return doc;
}
