// handler-not-cleared, registrations made per use on an object the use did not create (issue 13):
// a method that runs once per channel, job or request registers a callback on another object's
// long-lived future or bus, and nothing takes it back when the use ends. Written from the
// statement of the fact, in several styles; the same shapes with the removal present, or on an
// object the use made itself, stay quiet.
import { RuleCase as Case, testRuleCases } from './support';

const LEAKS: Case[] = [
  {
    name: 'python: a factory classmethod adds a per-channel callback to the connection’s closing future',
    language: 'python',
    text: [
      'class Channel:',
      '    def __init__(self, inner, on_close):',
      '        self.inner = inner',
      '        self.on_close = on_close',
      '',
      '    @classmethod',
      '    async def create(cls, connection, callback):',
      '        on_close = Once(callback)',
      '        connection.closing.add_done_callback(on_close)',
      '        inner = await connection.channel()',
      '        return cls(inner, on_close=on_close)',
      '',
      '    async def close(self):',
      '        await self.inner.close()',
    ],
    expect: ['9:handler-not-cleared'],
    fixed: 'connection.closing.add_done_callback(_weak_object_callback(on_close))',
  },
  {
    name: 'python: a job runner adds each job’s tracker to the pool’s shutdown future and keeps the tracker',
    language: 'python',
    text: [
      'class Runner:',
      '    def __init__(self):',
      '        self.trackers = {}',
      '',
      '    def submit(self, job, pool):',
      '        tracker = Tracker(job)',
      '        pool.stopped.add_done_callback(tracker)',
      '        self.trackers[job.id] = tracker',
      '        return tracker',
    ],
    expect: ['7:handler-not-cleared'],
    fixed: '_weak_object_callback(tracker)',
  },
  {
    name: 'python: each request subscribes a closure over its data to the server’s bus it was handed',
    language: 'python',
    text: [
      'class Session:',
      '    def handle(self, request, server):',
      '        payload = request.read()',
      '        def on_reload(event):',
      '            self.refresh(payload, event)',
      '        server.events.subscribe(on_reload)',
      '        return self.respond(payload)',
    ],
    expect: ['6:handler-not-cleared'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'python: close() removes the same callback from the connection’s closing future (reached another way)',
    language: 'python',
    text: [
      'class Channel:',
      '    def __init__(self, inner, on_close):',
      '        self.inner = inner',
      '        self.on_close = on_close',
      '',
      '    @classmethod',
      '    async def create(cls, connection, callback):',
      '        on_close = Once(callback)',
      '        connection.closing.add_done_callback(on_close)',
      '        inner = await connection.channel()',
      '        return cls(inner, on_close=on_close)',
      '',
      '    async def close(self):',
      '        self.inner.connection.closing.remove_done_callback(',
      '            self.on_close,',
      '        )',
      '        await self.inner.close()',
    ],
    expect: [],
  },
  {
    name: 'python: a done-callback on the task the use was handed goes when the task completes',
    language: 'python',
    text: [
      'class Runner:',
      '    def track(self, task):',
      '        done = Done(task)',
      '        task.add_done_callback(done)',
      '        self.pending.add(done)',
    ],
    expect: [],
  },
  {
    name: 'python: a callback on a future the method made itself goes with it',
    language: 'python',
    text: [
      'class Runner:',
      '    async def run(self, loop, job):',
      '        waiter = loop.create_future()',
      '        done = Done(job)',
      '        waiter.result_holder.add_done_callback(done)',
      '        self.pending.add(done)',
      '        return await waiter',
    ],
    expect: [],
  },
  {
    name: 'python: the callback object is made per call but nothing else keeps it',
    language: 'python',
    text: [
      'class Runner:',
      '    def submit(self, job, pool):',
      '        tracker = Tracker(job)',
      '        pool.stopped.add_done_callback(tracker)',
    ],
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
