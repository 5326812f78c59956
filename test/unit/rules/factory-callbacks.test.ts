// Callbacks handed back by a factory called on the spot (`(function (_this) { return function
// (conn) {…}; })(this)`, CoffeeScript's output for `=>`) run as often as an inline callback: a
// listener added in one per connection piles up, and a factory-made listener is a new function.
import { RuleCase as Case, testRuleCases } from './support';

/** A constructor-function server whose start() handles each connection in a factory-made callback. */
function tunnel(perConnection: readonly string[], event = 'connection'): string[] {
  return [
    "var EventEmitter = require('events').EventEmitter;",
    'var arrivals = new EventEmitter();',
    'function Tunnel(server) {',
    '  this.server = server;',
    '}',
    'Tunnel.prototype.start = function () {',
    `  this.server.on('${event}', (function (_this) {`,
    '    return function (conn) {',
    ...perConnection,
    '    };',
    '  })(this));',
    '};',
    'module.exports = Tunnel;',
  ];
}

const LEAKS: Case[] = [
  {
    name: 'javascript: a module emitter given a listener in a factory-made per-connection callback',
    language: 'javascript',
    text: tunnel(["      arrivals.on('data', function (chunk) {", '        conn.write(chunk);', '      });']),
    expect: ['9:handler-not-cleared'],
  },
  {
    name: 'javascript: a factory-made listener added to a module emitter per request',
    language: 'javascript',
    text: [
      "var bus = new (require('events').EventEmitter)();",
      'function serve(app) {',
      "  app.get('/feed', function (req, res) {",
      "    bus.on('update', (function (_this) {",
      '      return function (item) {',
      '        res.write(item);',
      '      };',
      '    })(this));',
      '  });',
      '}',
      'module.exports = serve;',
    ],
    expect: ['4:handler-not-cleared'],
  },
  {
    name: 'javascript: an arrow factory hands back the per-connection callback',
    language: 'javascript',
    text: [
      "var EventEmitter = require('events').EventEmitter;",
      'var arrivals = new EventEmitter();',
      'function listen(server) {',
      "  server.on('connection', ((self) => (conn) => {",
      "    arrivals.on('data', (chunk) => conn.write(chunk));",
      '  })(this));',
      '}',
      'module.exports = listen;',
    ],
    expect: ['5:handler-not-cleared'],
  },
];

const LOOKALIKES: Case[] = [
  {
    name: 'javascript: the factory-made listener removes itself by name once it has served its connection',
    language: 'javascript',
    text: tunnel([
      '      var relay = (function (socket) {',
      '        return function (chunk) {',
      '          socket.write(chunk);',
      "          arrivals.removeListener('data', relay);",
      '        };',
      '      })(conn);',
      "      arrivals.on('data', relay);",
    ]),
    expect: [],
  },
  {
    name: 'javascript: a factory-made callback of a one-shot event runs once',
    language: 'javascript',
    text: tunnel(["      arrivals.on('data', function (chunk) {", '        _this.forward(chunk);', '      });'], 'listening'),
    expect: [],
  },
  {
    name: 'javascript: a factory-made listener on the connection itself goes with the connection',
    language: 'javascript',
    text: tunnel(["      conn.on('data', (function (socket) {", '        return function (chunk) {', '          socket.write(chunk);', '        };', '      })(conn));']),
    expect: [],
  },
  {
    name: 'javascript: a factory that does more than hand back a function is not read as one',
    language: 'javascript',
    text: [
      "var EventEmitter = require('events').EventEmitter;",
      'var arrivals = new EventEmitter();',
      'function wire(server) {',
      "  server.on('listening', (function (_this) {",
      '    arrivals.count = 0;',
      '    return function () {',
      "      arrivals.on('data', function (chunk) { arrivals.count += chunk.length; });",
      '    };',
      '  })(this));',
      '}',
      'module.exports = wire;',
    ],
    expect: [],
  },
];

testRuleCases(LEAKS, LOOKALIKES);
