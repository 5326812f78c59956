// The recordings in traces/recorded/: what ran, what drove it, and the class its mechanism
// produces over the recorded window. run-recorded.mjs runs them (6 at a time) with
// record-real.mjs and writes traces/recorded/manifest.json from this list.
// `half` is per program (every recording of one program is in the same half).
const R = 'test/corpus/programs/real';
const load = (rate, seconds, rest) => `python3 ${R}/load.py --port {port} --rate ${rate} --seconds ${seconds} ${rest}`;
const uniq = (rate, s) => ({ cmd: load(rate, s, `--path '/item?k={i}'`), what: `load.py: ${rate} req/s GET with unique query strings (/item?k=<counter>), new connection per request` });
const rnd = (rate, s, keys, path = '/search?q={r}') => ({ cmd: load(rate, s, `--path '${path}' --keys ${keys}`), what: `load.py: ${rate} req/s GET ${path} over ${keys} random keys, new connection per request` });
const cyc = (rate, s, keys) => ({ cmd: load(rate, s, `--path '/item?k={m}' --keys ${keys}`), what: `load.py: ${rate} req/s GET /item?k=<counter mod ${keys}> (a finite key set, cycled), new connection per request` });
const late = (rate, s, flatS) => ({ cmd: load(rate, s, `--keys 50 --phase '${flatS}:/item?k={r}' --phase '9999:/item?k={i}'`), what: `load.py: ${rate} req/s GET; ${flatS} s over 50 random keys (all cached early), then unique query strings` });
const post = (rate, s, kb) => ({ cmd: load(rate, s, `--post-json-kb ${kb}`), what: `load.py: POST a ~${Math.round(kb / 1024)} MB JSON document every ${Math.round(1 / rate)} s` });

// [name, half, class, hz, seconds, program, args, load|null, mechanism, env?]
export const jobs = [
  // ---- tune ----
  ['py-http-flat-10hz', 'tune', 'flat', 10, 120, `${R}/py_http_flat.py`, '--port {port}', rnd(20, 140, 5000), 'ThreadingHTTPServer computing a small JSON answer per request, keeps nothing'],
  ['py-http-flat-1hz-300s', 'tune', 'flat', 1, 300, `${R}/py_http_flat.py`, '--port {port}', rnd(20, 320, 50), 'ThreadingHTTPServer computing a small JSON answer per request, keeps nothing (50 distinct queries)'],
  ['py-http-flat-1hz-600s', 'tune', 'flat', 1, 600, `${R}/py_http_flat.py`, '--port {port}', rnd(10, 620, 5000), 'ThreadingHTTPServer computing a small JSON answer per request, keeps nothing'],
  ['py-cache-unbounded-fast-10hz', 'tune', 'steady-leak', 10, 120, `${R}/py_cache_unbounded.py`, '--port {port} --entry-kb 64', uniq(20, 140), 'dict page cache keyed by path+query, never evicted; 64 KB per unique request (~75 MB/min)'],
  ['py-cache-unbounded-slow-1hz', 'tune', 'steady-leak', 1, 360, `${R}/py_cache_unbounded.py`, '--port {port} --entry-kb 8', uniq(20, 380), 'dict page cache keyed by path+query, never evicted; 8 KB per unique request (~10 MB/min)'],
  ['py-cache-unbounded-late-1hz', 'tune', 'steady-leak', 1, 240, `${R}/py_cache_unbounded.py`, '--port {port} --entry-kb 32', late(15, 260, 70), 'dict page cache keyed by path+query; flat while the traffic hits 50 cached keys, leaks from ~70 s when queries become unique (late start, ~28 MB/min)'],
  ['py-cache-unbounded-keyspace-10hz', 'tune', 'plateau', 10, 140, `${R}/py_cache_unbounded.py`, '--port {port} --entry-kb 64', cyc(20, 160, 1200), 'dict page cache with no bound, but the key set is finite (1200 keys): grows ~60 s until every key is cached, then stops (leak that stops)'],
  ['node-cache-lru-10hz', 'tune', 'plateau', 10, 120, `${R}/node_cache_lru.js`, '--port {port} --entry-kb 64 --max 600', uniq(20, 140), 'Map-based LRU page cache bounded at 600 x 64 KB strings: fills in ~30 s, then evicts'],
  ['node-cache-lru-1hz', 'tune', 'plateau', 1, 360, `${R}/node_cache_lru.js`, '--port {port} --entry-kb 16 --max 3000', uniq(20, 380), 'Map-based LRU page cache bounded at 3000 x 16 KB strings: fills in ~150 s, then evicts'],
  ['node-listener-leak-fast-10hz', 'tune', 'steady-leak', 10, 120, `${R}/node_listener_leak.js`, '--port {port} --kb 64', rnd(20, 140, 5000, '/profile?u={r}'), "a 'reload' listener per request on a long-lived EventEmitter, closing over a 64 KB request context, never removed (~75 MB/min)"],
  ['node-listener-leak-slow-1hz-600s', 'tune', 'steady-leak', 1, 600, `${R}/node_listener_leak.js`, '--port {port} --kb 8', rnd(20, 620, 5000, '/profile?u={r}'), "a 'reload' listener per request on a long-lived EventEmitter, closing over an 8 KB request context, never removed (~10 MB/min)"],
  ['py-closure-rounds-10hz', 'tune', 'stepwise-leak', 10, 120, `${R}/py_closure_rounds.py`, '--round-s 4 --keep-mb 6', null, 'a callback closure per 4 s round subscribed on a long-lived event bus, holding the round results (~6 MB), never unsubscribed'],
  ['py-closure-rounds-1hz', 'tune', 'stepwise-leak', 1, 400, `${R}/py_closure_rounds.py`, '--round-s 20 --keep-mb 8', null, 'a callback closure per 20 s round subscribed on a long-lived event bus, holding the round results (~8 MB), never unsubscribed'],
  ['node-rounds-10hz', 'tune', 'stepwise-leak', 10, 150, `${R}/node_rounds.js`, '--round-s 6 --keep-mb 10 --temp-mb 40', null, 'round job keeping a 10 MB Float64Array snapshot per 6 s round in an untrimmed history (plus a 40 MB scratch per round)'],
  ['node-rounds-1hz', 'tune', 'stepwise-leak', 1, 480, `${R}/node_rounds.js`, '--round-s 30 --keep-mb 12 --temp-mb 60', null, 'round job keeping a 12 MB Float64Array snapshot per 30 s round in an untrimmed history (plus a 60 MB scratch per round)'],
  ['py-numpy-batch-10hz', 'tune', 'spiky', 10, 120, `${R}/py_numpy_batch.py`, '--every-s 5 --temp-mb 60', null, 'numpy batch job: a 60 MB matrix plus same-size temporaries every 5 s, only a small summary kept', { OPENBLAS_NUM_THREADS: '1' }],
  ['py-numpy-batch-1hz', 'tune', 'spiky', 1, 300, `${R}/py_numpy_batch.py`, '--every-s 15 --temp-mb 80 --hold-s 3', null, 'numpy batch job: an 80 MB matrix plus temporaries every 15 s, held ~3 s, only a small summary kept', { OPENBLAS_NUM_THREADS: '1' }],
  ['node-json-worker-10hz', 'tune', 'spiky', 10, 120, `${R}/node_json_worker.js`, '--port {port}', post(1 / 3, 140, 8000), 'JSON ingest worker: parses a POSTed ~8 MB document, keeps a small aggregate; the document is garbage after the request'],
  ['node-json-worker-1hz', 'tune', 'spiky', 1, 300, `${R}/node_json_worker.js`, '--port {port}', post(0.1, 320, 12000), 'JSON ingest worker: parses a POSTed ~12 MB document every 10 s, keeps a small aggregate'],
  ['node-loader-10hz', 'tune', 'plateau', 10, 120, `${R}/node_loader.js`, '--port {port} --chunks 30 --chunk-mb 4 --chunk-s 1', rnd(20, 140, 100000, '/lookup?k={r}'), 'loads 30 x 4 MB Float64Array chunks (one a second), then only serves lookups'],
  ['node-loader-1hz', 'tune', 'plateau', 1, 360, `${R}/node_loader.js`, '--port {port} --chunks 40 --chunk-mb 3 --chunk-s 3', rnd(10, 380, 100000, '/lookup?k={r}'), 'loads 40 x 3 MB Float64Array chunks (one every 3 s, 120 s), then only serves lookups'],
  ['demo-session-cache-10hz', 'tune', 'steady-leak', 10, 100, 'demo/session_cache.js', '', null, 'demo: session Map without eviction (256 KB heap array + 256 KB Buffer per request, 8 requests/s) and a never-cleared setInterval per connection (~4 MB/s)'],
  ['demo-session-cache-cap-1hz', 'tune', 'plateau', 1, 300, 'demo/session_cache.js', '--cap-mb 300', null, 'demo: the same session leak (~4 MB/s) until its --cap-mb 300 stop, then no more requests: the leak stops and RSS stays level'],
  // ---- eval ----
  ['node-http-flat-10hz', 'eval', 'flat', 10, 120, `${R}/node_http_flat.js`, '--port {port}', rnd(20, 140, 5000), 'Node http server computing a small JSON answer per request, keeps nothing'],
  ['node-http-flat-1hz-600s', 'eval', 'flat', 1, 600, `${R}/node_http_flat.js`, '--port {port}', rnd(10, 620, 5000), 'Node http server computing a small JSON answer per request, keeps nothing'],
  ['py-sqlite-file-10hz', 'eval', 'flat', 10, 120, `${R}/py_sqlite_service.py`, '--port {port} --db /tmp/leakscope-rec-{port}.db --blob-kb 4', rnd(20, 140, 5000, '/event?e={r}'), 'sqlite (file DB) service: insert a 4 KB row + read the 20 newest per request; data on disk, page cache bounded'],
  ['py-sqlite-file-1hz', 'eval', 'flat', 1, 300, `${R}/py_sqlite_service.py`, '--port {port} --db /tmp/leakscope-rec-{port}.db --blob-kb 4', rnd(10, 320, 5000, '/event?e={r}'), 'sqlite (file DB) service: insert a 4 KB row + read the 20 newest per request; data on disk, page cache bounded'],
  ['py-sqlite-memory-1hz', 'eval', 'steady-leak', 1, 360, `${R}/py_sqlite_service.py`, '--port {port} --db :memory: --blob-kb 8', rnd(20, 380, 5000, '/event?e={r}'), 'sqlite :memory: service: every request inserts an 8 KB row that is never deleted, the table lives in RAM (~10 MB/min)'],
  ['py-sqlite-memory-10hz', 'eval', 'steady-leak', 10, 120, `${R}/py_sqlite_service.py`, '--port {port} --db :memory: --blob-kb 64', rnd(15, 140, 5000, '/event?e={r}'), 'sqlite :memory: service: every request inserts a 64 KB row that is never deleted (~55 MB/min)'],
  ['node-cache-unbounded-fast-10hz', 'eval', 'steady-leak', 10, 120, `${R}/node_cache_unbounded.js`, '--port {port} --entry-kb 64', uniq(20, 140), 'Map page cache keyed by URL, never evicted; a 64 KB string per unique request (~75 MB/min)'],
  ['node-cache-unbounded-late-10hz', 'eval', 'steady-leak', 10, 150, `${R}/node_cache_unbounded.js`, '--port {port} --entry-kb 32', late(20, 170, 62), 'Map page cache keyed by URL; flat while traffic hits 50 cached keys, leaks from ~60 s when URLs become unique (late start, ~38 MB/min)'],
  ['node-cache-unbounded-keyspace-1hz', 'eval', 'plateau', 1, 360, `${R}/node_cache_unbounded.js`, '--port {port} --entry-kb 16', cyc(20, 380, 3000), 'Map page cache with no bound, but the key set is finite (3000 keys): grows ~150 s until every key is cached, then stops (leak that stops)'],
  ['node-cache-unbounded-slow-1hz', 'eval', 'steady-leak', 1, 300, `${R}/node_cache_unbounded.js`, '--port {port} --entry-kb 8', uniq(20, 320), 'Map page cache keyed by URL, never evicted; an 8 KB string per unique request (~10 MB/min)'],
  ['py-cache-lru-10hz', 'eval', 'plateau', 10, 120, `${R}/py_cache_lru.py`, '--port {port} --entry-kb 64 --maxsize 600', uniq(20, 140), 'functools.lru_cache(maxsize=600) page cache, 64 KB pages: fills in ~30 s, then evicts'],
  ['py-cache-lru-1hz', 'eval', 'plateau', 1, 360, `${R}/py_cache_lru.py`, '--port {port} --entry-kb 16 --maxsize 3000', uniq(20, 380), 'functools.lru_cache(maxsize=3000) page cache, 16 KB pages: fills in ~150 s, then evicts'],
  ['node-conn-timer-fast-10hz', 'eval', 'steady-leak', 10, 120, `${R}/node_conn_timer_leak.js`, '--port {port} --kb 64', rnd(20, 140, 5000, '/ping?c={r}'), "a setInterval per connection holding 64 KB of connection state, never cleared on 'close' (~75 MB/min)"],
  ['node-conn-timer-slow-1hz', 'eval', 'steady-leak', 1, 300, `${R}/node_conn_timer_leak.js`, '--port {port} --kb 16', rnd(15, 320, 5000, '/ping?c={r}'), "a setInterval per connection holding 16 KB of connection state, never cleared on 'close' (~15 MB/min)"],
  ['py-rounds-job-10hz', 'eval', 'stepwise-leak', 10, 150, `${R}/py_rounds_job.py`, '--round-s 6 --keep-mb 10 --temp-mb 40', null, 'round job keeping a 10 MB numpy snapshot per 6 s round in an untrimmed history (plus 40 MB temporaries per round)', { OPENBLAS_NUM_THREADS: '1' }],
  ['py-rounds-job-1hz', 'eval', 'stepwise-leak', 1, 480, `${R}/py_rounds_job.py`, '--round-s 30 --keep-mb 16 --temp-mb 80', null, 'round job keeping a 16 MB numpy snapshot per 30 s round in an untrimmed history (plus 80 MB temporaries per round)', { OPENBLAS_NUM_THREADS: '1' }],
  ['demo-federated-10hz', 'eval', 'steady-leak', 10, 120, 'demo/federated_server.py', '', null, 'demo: per-round client-index cache + a never-cleared per-round handler closure (512 KB), 1 round/s: ~3.5 MB/s in 1 s steps (fine staircase read as a steady leak)'],
  ['demo-federated-stepwise-10hz', 'eval', 'stepwise-leak', 10, 150, 'demo/federated_server.py', '--rounds-per-second 0.2', null, 'demo: the same per-round leak at one round every 5 s: ~3.5 MB steps'],
  ['demo-federated-stepwise-1hz', 'eval', 'stepwise-leak', 1, 400, 'demo/federated_server.py', '--rounds-per-second 0.1', null, 'demo: the same per-round leak at one round every 10 s: ~3.5 MB steps'],
  ['demo-federated-cap-1hz', 'eval', 'plateau', 1, 300, 'demo/federated_server.py', '--cap-mb 250', null, 'demo: the same leak at 1 round/s until its --cap-mb 250 stop, then no more rounds: the leak stops and RSS stays level'],
  ['py-json-worker-10hz', 'eval', 'spiky', 10, 120, `${R}/py_json_worker.py`, '--port {port}', post(1 / 3, 140, 8000), 'JSON ingest worker: parses a POSTed ~8 MB document every 3 s, keeps a small aggregate'],
  ['py-json-worker-1hz', 'eval', 'spiky', 1, 300, `${R}/py_json_worker.py`, '--port {port}', post(0.1, 320, 16000), 'JSON ingest worker: parses a POSTed ~16 MB document every 10 s, keeps a small aggregate'],
  ['node-batch-temps-10hz', 'eval', 'spiky', 10, 120, `${R}/node_batch_temps.js`, '--every-s 4 --temp-mb 150 --hold-s 1', null, 'batch worker: a 150 MB Buffer every 4 s, held 1 s, then dropped (freed at the next GC)'],
  ['node-batch-temps-1hz', 'eval', 'spiky', 1, 300, `${R}/node_batch_temps.js`, '--every-s 20 --temp-mb 150 --hold-s 4', null, 'batch worker: a 150 MB Buffer every 20 s, held 4 s, then dropped (freed at the next GC)'],
  ['py-loader-10hz', 'eval', 'plateau', 10, 120, `${R}/py_loader.py`, '--port {port} --chunks 30 --chunk-mb 4 --chunk-s 1', rnd(20, 140, 100000, '/lookup?k={r}'), 'loads 30 x 4 MB numpy chunks (one a second), then only serves lookups'],
  ['py-loader-1hz', 'eval', 'plateau', 1, 360, `${R}/py_loader.py`, '--port {port} --chunks 60 --chunk-mb 2 --chunk-s 2', rnd(10, 380, 100000, '/lookup?k={r}'), 'loads 60 x 2 MB numpy chunks (one every 2 s, 120 s), then only serves lookups'],
  // ---- added later (kept at the end so the ports above stay as recorded) ----
  ['py-cache-unbounded-slow5-1hz-600s', 'tune', 'steady-leak', 1, 600, `${R}/py_cache_unbounded.py`, '--port {port} --entry-kb 4', uniq(20, 620), 'dict page cache keyed by path+query, never evicted; 4 KB per unique request (~5 MB/min)'],
  ['node-conn-timer-slow5-1hz-600s', 'eval', 'steady-leak', 1, 600, `${R}/node_conn_timer_leak.js`, '--port {port} --kb 8', rnd(10, 620, 5000, '/ping?c={r}'), "a setInterval per connection holding 8 KB of connection state, never cleared on 'close' (~5 MB/min)"],
  ['py-export-worker-10hz', 'tune', 'spiky', 10, 120, `${R}/py_export_worker.py`, '--port {port} --report-mb 80', { cmd: load(0.25, 140, "--path '/export?fmt=csv'"), what: 'load.py: GET /export every 4 s' }, 'report export: builds an 80 MB CSV report from 1 MiB blocks per request, returns a checksum, drops it'],
  ['py-export-worker-1hz', 'tune', 'spiky', 1, 300, `${R}/py_export_worker.py`, '--port {port} --report-mb 120', { cmd: load(1 / 15, 320, "--path '/export?fmt=csv'"), what: 'load.py: GET /export every 15 s' }, 'report export: builds a 120 MB CSV report from 1 MiB blocks per request, returns a checksum, drops it'],
  ['node-static-flat-10hz', 'tune', 'flat', 10, 120, `${R}/node_static_server.js`, '--port {port}', rnd(20, 140, 200, '/static/f{r}.txt'), 'serves 200 preloaded small files by path; nothing outlives a request'],
  ['node-static-flat-1hz', 'tune', 'flat', 1, 300, `${R}/node_static_server.js`, '--port {port}', rnd(15, 320, 200, '/static/f{r}.txt'), 'serves 200 preloaded small files by path; nothing outlives a request'],
  // ---- short dense traces (issue 12: 90-120 s at 10 Hz of each clear shape), all tune ----
  ['py-alloc-churn-10hz', 'tune', 'flat', 10, 110, `${R}/py_alloc_churn.py`, '--tick-ms 50 --records 20000', null, 'allocation-heavy worker: builds 20000 small dicts and strings every 50 ms, aggregates and drops them; keeps a running total'],
  ['py-gc-cycles-heap-10hz', 'tune', 'plateau', 10, 100, `${R}/py_gc_sawtooth.py`, '--tick-ms 20 --nodes 40 --payload-kb 16 --gc-threshold 20000', null, 'per-tick trees of 41 nodes x 16 KB whose parent links make cycles; gen-0 threshold 20000, so the cyclic collector frees them every few seconds; glibc keeps the freed heap (nothing kept by the program)'],
  ['node-alloc-churn-10hz', 'tune', 'flat', 10, 110, `${R}/node_alloc_churn.js`, '--tick-ms 50 --records 20000', null, 'allocation-heavy worker: builds 20000 small objects and strings every 50 ms, aggregates and drops them; keeps a running total'],
  ['node-gc-sawtooth-10hz', 'tune', 'flat', 10, 100, `${R}/node_gc_sawtooth.js`, '--tick-ms 20 --objects 2000 --keep-ticks 50', null, 'keeps the last 50 ticks of 2000 small objects (1 s window), then lets them go: promoted to old space and freed by major GCs (sawtooth, nothing kept beyond the window)'],
  ['py-http-busy-10hz', 'tune', 'flat', 10, 90, `${R}/py_http_flat.py`, '--port {port}', rnd(40, 110, 50), 'ThreadingHTTPServer computing a small JSON answer per request, keeps nothing (busy: 40 req/s)'],
  ['node-static-busy-10hz', 'tune', 'flat', 10, 100, `${R}/node_static_server.js`, '--port {port}', rnd(40, 120, 200, '/static/f{r}.txt'), 'serves 200 preloaded small files by path; nothing outlives a request (busy: 40 req/s)'],
  ['node-loader-steps-10hz', 'tune', 'plateau', 10, 110, `${R}/node_loader.js`, '--port {port} --chunks 5 --chunk-mb 50 --chunk-s 5', rnd(20, 130, 100000, '/lookup?k={r}'), 'loads 5 x 50 MB Float64Array chunks (one every 5 s), then only serves lookups: climbs in five steps, holds ~85 s'],
  ['py-numpy-batch-big-10hz', 'tune', 'spiky', 10, 110, `${R}/py_numpy_batch.py`, '--every-s 9 --temp-mb 240', null, 'numpy batch job: a 240 MB matrix plus same-size temporaries every 9 s, only a small summary kept', { OPENBLAS_NUM_THREADS: '1' }],
  ['py-gc-sawtooth-10hz', 'tune', 'flat', 10, 100, `${R}/py_gc_sawtooth.py`, '--tick-ms 20 --nodes 40 --payload-kb 8 --gc-threshold 4000 --resident-mb 150', null, 'a service holding 150 MB of state; per-tick trees of 41 nodes x 8 KB whose parent links make cycles, freed by the cyclic collector (gen-0 threshold 4000) every ~1-3 s and, with MALLOC_MMAP_THRESHOLD_=4096, given back to the system: a GC sawtooth, nothing kept', { MALLOC_MMAP_THRESHOLD_: '4096' }],
  ['py-alloc-churn-small-10hz', 'tune', 'flat', 10, 100, `${R}/py_alloc_churn.py`, '--tick-ms 50 --records 4000 --resident-mb 40', null, 'a worker holding 40 MB of state; builds 4000 small dicts and strings every 50 ms, aggregates and drops them'],
  ['node-gc-sawtooth-resident-10hz', 'tune', 'flat', 10, 100, `${R}/node_gc_sawtooth.js`, '--tick-ms 20 --objects 500 --keep-ticks 50 --resident-mb 100', null, 'a worker holding 100 MB of Float64Array state; keeps the last 50 ticks of 500 small objects (1 s window), then lets them go: promoted to old space and freed by major GCs'],
].map(([name, half, cls, hz, seconds, program, args, ld, mechanism, env], i) => ({
  name, half, class: cls, hz, seconds, program, args, load: ld, mechanism, env: env ?? {}, port: 18300 + i,
}));
// What the recordings showed where it differs from (or qualifies) the mechanism's intent.
// class here overrides the job's class: labels follow what the baseline did.
export const notes = {
  'py-alloc-churn-10hz': { ambiguous: true, note: 'a dense band 18.2-23.1 MB for the whole recording (each 20000-row batch is ~5 MB, 27% of the level) and no growth: flat by mechanism, but a band that wide reads as spiky too' },
  'node-gc-sawtooth-10hz': { class: 'spiky', note: 'intended as a flat GC sawtooth; the major-GC sawtooth runs 113-199 MB (peaks ~70% above the troughs), which this corpus reads as spiky (as node-batch-temps-10hz); troughs wander 113-121 MB without a trend' },
  'node-gc-sawtooth-resident-10hz': { class: 'plateau', note: 'the V8 heap grows to its working size in the first ~15 s (troughs 164 -> 190 MB), then a 191-218 MB GC sawtooth whose troughs hold' },
  'node-static-busy-10hz': { ambiguous: true, note: 'keeps nothing, but RSS creeps 47 -> 59 MB over the 100 s, decelerating (V8 old-space growth between major GCs, as node-static-flat-10hz)' },
  'node-alloc-churn-10hz': { note: 'level 83.4-84.7 MB; a major GC at ~100 s gives back ~25 MB for an instant' },
  'py-gc-sawtooth-10hz': { note: 'a GC sawtooth 166-196 MB (troughs 166-172 MB, no trend), period ~1-3 s' },
  'py-numpy-batch-big-10hz': { note: 'a batch (the matrix and its temporaries, up to ~990 MB) every ~5 s on the loaded machine rather than 9; 34 MB between batches' },
  'node-loader-steps-10hz': { note: 'five 50 MB steps 45 -> 304 MB over the first ~25 s, then level at 299-303 MB for ~85 s' },
  'py-gc-cycles-heap-10hz': { note: 'RSS climbs 92 -> 173 MB in the first ~5 s (the garbage of the first collection cycles), creeps to 179 MB by ~50 s as glibc reuses its heap, then holds at 179.1 MB for the last ~50 s: a plateau, no sawtooth in RSS' },
  'node-http-flat-10hz': { ambiguous: true, note: 'keeps nothing, but RSS creeps 48 -> 56 MB over the 120 s (V8 growing old space between major GCs); the 600 s recording shows the creep flattening out' },
  'node-static-flat-10hz': { ambiguous: true, note: 'serves preloaded Buffers and keeps nothing, but RSS creeps 47 -> 58 MB over the 120 s (V8 old-space growth between major GCs; see node-static-flat-1hz, where a major GC takes it back)' },
  'node-static-flat-1hz': { note: 'creeps 48 -> 59 MB over ~280 s (V8 old space between major GCs), then a major GC brings it back to 53 MB' },
  'py-export-worker-10hz': { note: 'each export ramps 21 -> ~100 MB over ~2 s and returns to 21 MB at once (1 MiB blocks are mmap\'d)' },
  'node-http-flat-1hz-600s': { ambiguous: true, note: 'keeps nothing, but RSS creeps 50 -> 59 MB over 10 min, decelerating (V8 old-space growth toward its steady size), ~1 MB/min at the end' },
  'node-json-worker-10hz': { class: 'plateau', ambiguous: true, note: 'intended spiky; V8 keeps the heap it grew for the first documents: 43 -> ~200 MB, 126-220 MB sawtooth for ~60 s, then level at ~141 MB with +8 MB blips per document' },
  'node-json-worker-1hz': { class: 'plateau', ambiguous: true, note: 'intended spiky; V8 heap grows in a staircase over the first 4 documents (43 -> 250 MB) and then holds ~180-210 MB with one-sample +15-40 MB blips per document' },
  'py-json-worker-10hz': { ambiguous: true, note: 'each 8 MB parse takes ~2.5 s on the loaded machine, so the worker is busy almost all the time: a sawtooth whose peak stays at 85 MB while the troughs creep 28 -> 58 MB (pymalloc/glibc keep part of the freed objects)' },
  'py-json-worker-1hz': { note: 'each 16 MB document: ~4 s ramp to ~150 MB, then back to 21-29 MB (troughs creep ~8 MB over 5 min)' },
  'node-batch-temps-10hz': { note: 'filling 150 MB takes ~4 s on the loaded machine and the previous Buffer is freed only at the next GC: after a 40 s warm-up it is a continuous 345-495 MB sawtooth, no growth' },
  'node-batch-temps-1hz': { note: 'one 150 MB Buffer stays alive between batches until the next GC frees it (baseline ~196 MB); spikes to ~340 MB' },
  'node-rounds-10hz': { note: 'each round fills a 40 MB scratch (rise over ~1 s) that the next round\'s GC frees: a sawtooth whose troughs step up ~10-15 MB per 6 s round' },
  'py-rounds-job-1hz': { note: 'each round\'s 80 MB temporaries show as a short spike on top of the 16 MB step' },
  'py-rounds-job-10hz': { note: 'each round\'s 40 MB temporaries show as a short spike on top of the 10 MB step' },
  'py-cache-lru-10hz': { note: 'fills to ~70 MB in 30 s, then wanders 64-91 MB (render temporaries, glibc returning the heap top at ~55 s) without a trend' },
  'py-cache-lru-1hz': { note: 'fills to 84 MB at ~200 s, level, then glibc returns ~11 MB at ~310 s' },
  'node-cache-lru-10hz': { note: 'fills to ~125 MB in ~35 s, then a GC sawtooth 122-155 MB' },
  'node-cache-unbounded-keyspace-1hz': { note: 'all 3000 keys cached at ~150 s (128 MB); a major GC at ~230 s then settles at ~102 MB' },
  'node-cache-unbounded-slow-1hz': { note: 'a major GC drops ~20 MB at ~230 s, then growth resumes' },
  'demo-session-cache-cap-1hz': { note: 'the cap is reached at ~70 s; level (300-307 MB) for the remaining ~230 s' },
  'demo-federated-cap-1hz': { note: 'the cap is reached at ~70 s; level at 253 MB for the remaining ~230 s' },
  'py-cache-unbounded-keyspace-10hz': { note: 'every key cached at ~80 s (105 MB); level for the last ~60 s' },
  'py-cache-unbounded-late-1hz': { note: 'flat at 23 MB for ~70 s, then ~25 MB/min' },
  'node-cache-unbounded-late-10hz': { note: 'flat at ~53 MB for ~65 s, then ~45 MB/min' },
};
