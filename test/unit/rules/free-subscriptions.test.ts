// A registration written as a function that takes the bus first (issue 13, gate tally: mitogen's
// `listen(obj, 'disconnect', fn)`, a Qt helper's `connect(signal, slot)`) registers its callback
// on that first argument exactly as `bus.connect(slot)` does, and is taken back by the matching
// function given the same bus (`disconnect(signal, slot)`, `unlisten(obj, …)`). The subscription
// rule read the method form only.
import { RuleCase as Case, testRuleCases } from './support';

const LEAKS: Case[] = [
  {
    name: "Python: each call registers a disconnect closure on the caller's context with listen(obj, event, fn)",
    language: 'python',
    text: [
      'class Router:',
      '    def add_handler(self, fn, respondent=None):',
      '        handle = self.next_handle()',
      '',
      '        def on_disconnect():',
      '            fn(None)',
      '',
      "        listen(respondent, 'disconnect', on_disconnect)",
      '        return handle',
    ],
    expect: ['8:handler-not-cleared'],
    fixed: "self._undo_listen = lambda: unlisten(respondent, 'disconnect', on_disconnect)",
  },
  {
    name: "Python: each item shown connects the panel's method to the model's signal with connect(signal, slot)",
    language: 'python',
    text: ['class Panel:', '    def show_item(self, item):', '        self.current = item', '        connect(self.model.changed, self.refresh)', '', '    def refresh(self):', '        self.render(self.current)'],
    expect: ['4:handler-not-cleared'],
    fixed: 'disconnect(self.model.changed, self.refresh)',
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'Python: the panel disconnects the same slot from the same signal when it closes',
    language: 'python',
    text: [
      'class Panel:',
      '    def show_item(self, item):',
      '        self.current = item',
      '        connect(self.model.changed, self.refresh)',
      '',
      '    def refresh(self):',
      '        self.render(self.current)',
      '',
      '    def close(self):',
      '        disconnect(self.model.changed, self.refresh)',
    ],
    expect: [],
  },
  {
    name: 'Python: connect(host, port) opens a connection, it registers nothing',
    language: 'python',
    text: ['class Client:', '    def __init__(self, host, port):', '        self.host = host', '        self.port = port', '', '    def query(self, sql):', '        conn = connect(self.host, self.port)', '        return conn.execute(sql)'],
    expect: [],
  },
  {
    name: "Python: a page's set-up method (initialize_page) wires the window's buttons once",
    language: 'python',
    text: ['class DownloadsPage(QWidget):', '    def initialize_page(self):', '        connect(self.window().start_button.clicked, self.on_start_clicked)', '', '    def on_start_clicked(self):', '        self.start()'],
    expect: [],
  },
  {
    name: 'Python: a disconnect listener registered once per respondent, under `if key not in table: table[key] = …`',
    language: 'python',
    text: [
      'class Router:',
      '    def add_handler(self, fn, respondent=None):',
      '        handle = self.next_handle()',
      '        if respondent not in self._by_respondent:',
      '            self._by_respondent[respondent] = set()',
      "            listen(respondent, 'disconnect', lambda: self._on_disconnect(respondent))",
      '        self._by_respondent[respondent].add(handle)',
      '        return handle',
    ],
    expect: [],
  },
  {
    name: 'Python: a dialog made in the same call carries its own connection',
    language: 'python',
    text: [
      'class Page:',
      '    def ask_remove(self):',
      '        self.dialog = ConfirmationDialog(self)',
      '        connect(self.dialog.button_clicked, self.on_remove_dialog)',
      '        self.dialog.show()',
      '',
      '    def on_remove_dialog(self, action):',
      '        self.dialog.close_dialog()',
    ],
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
